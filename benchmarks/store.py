"""Append and replay review events through untoc, against bare eventsourcing.

Run: ``.venv/bin/python benchmarks/store.py [--backend sqlite|postgres|both]
[--events 2000] [--batch 100] [--repeat 3] [--size 1024] [--quick] [--profile]``

For each backend (a SQLite file; PostgreSQL at ``--pg``, the tests' URL, in a fresh
schema per run) and each run, in fresh storage, it times two workloads of
``--events`` events appended ``--batch`` at a time, then read back:

* review: the library's store, opened as ``open_vault`` opens it (the
  location-bound mapper, ``material/`` rows sealed whole under the key service),
  appending ``review/cycle-<k>/ARC`` streams of one ``ReviewOpened`` and
  ``--batch - 1`` dialogue exchanges and findings, one stream per batch. Replay
  folds every stream with ``Mechanism.country_review`` on a fresh mechanism;
* material: ``MaterialFiled`` events on ``material/cycle-1/ARC``, each value of
  ``--size`` bytes sealed by ``Vault.sealer`` (the data key from the reviewer's
  own HPKE grant, AES-GCM bound to the stream, version and section) for exactly
  where it is appended, and the row then sealed whole and bound to its location.
  The right to file is decided once per run, before the clock starts. Replay
  folds the stream with ``Mechanism.review_material`` (every row opened; the
  values stay sealed, as a read opens them one by one).

The baseline, measured in the same run on the same backend with the same counts
and batches: an ``eventsourcing.application.Application`` with eventsourcing's own
AES-GCM cipher (``eventsourcing.cryptography:AESCipher``), no compressor, saving
aggregates whose events carry the same fields (and, for material, a base64 value as
long as untoc's sealed one); replay is ``repository.get`` of every aggregate.

Beside the append path it also times, on the untoc store after the appends:

* tlog catch-up: ``follow`` logging every row into a fresh transparency log store;
* audit verify: reading every row (``iter_rows``) and ``verify_rows`` against the
  stored log's checkpoint, as ``untoc audit verify`` does.

Figures are medians over the runs, in events per second, with min and max; each
ratio is the median of the per-run ratios untoc/bare. The issue's target is a
ratio of at least 0.7 for batched appends and for replay: it is reported, not
asserted. ``--profile`` then runs the untoc path once more under cProfile.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.cryptography import AESCipher
from eventsourcing.domain import Aggregate, event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.vault_world import ARCADIA, DYSTOPIA, World, open_reviews, open_world
from untoc_adapters.audit.logkey import ORIGIN
from untoc_adapters.audit.rows import iter_rows
from untoc_adapters.audit.tlog import follow, open_log_store
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.postgres import parse_store_url
from untoc_core.audit.verify import verify_rows
from untoc_core.confidentiality import Action, Scope, SealContext
from untoc_core.confidentiality.keys import MaterialFiled, material_stream
from untoc_core.events import Event
from untoc_core.mechanism import Mechanism
from untoc_core.ports import NewEvents
from untoc_core.reviews.events import (
    Aspect,
    Channel,
    DialogueExchanged,
    ExchangeKind,
    FindingKind,
    FindingRecorded,
    ReviewOpened,
    Stage,
    stream_of,
)

PG_URL = os.environ.get(
    "UNTOC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
TARGET = 0.7
"""The issue's target: untoc's throughput as a share of bare eventsourcing's."""
DAY = dt.date(2026, 3, 2)
REVIEWERS = ("BRD", "CRP")

Figures = dict[str, float]


# -- the events, untoc's and bare eventsourcing's --------------------------------------


def review_events(k: int, count: int) -> tuple[Event, ...]:
    """A review stream's events: opened, then exchanges and findings alternately."""
    steps: list[Event] = [
        ReviewOpened(
            review=f"cycle-{k}/ARC",
            cycle=k,
            year=1,
            party_under_review="ARC",
            reviewers=REVIEWERS,
            drawn_on=DAY,
        )
    ]
    for i in range(1, count):
        if i % 2:
            steps.append(
                DialogueExchanged(
                    on=DAY,
                    kind=ExchangeKind.REQUEST_FOR_CLARIFICATION,
                    channel=Channel.EMAIL,
                    by="BRD",
                )
            )
        else:
            steps.append(
                FindingRecorded(
                    on=DAY,
                    finding_id=f"finding-{i}",
                    kind=FindingKind.GOOD_PRACTICE,
                    article="art-5",
                    aspect=Aspect.LAW,
                    stage=Stage.DESK_REVIEW,
                    section=f"finding-{i}",
                )
            )
    return tuple(steps)


class BareReview(Aggregate):
    """Bare eventsourcing's review: the same fields as untoc's review events."""

    @event("ReviewOpened")
    def __init__(  # noqa: PLR0913, PLR0917 - the fields of ReviewOpened
        self,
        review: str,
        cycle: int,
        year: int,
        party_under_review: str,
        reviewers: list[str],
        drawn_on: str,
    ) -> None:
        self.review = review
        self.cycle = cycle
        self.year = year
        self.party_under_review = party_under_review
        self.reviewers = reviewers
        self.drawn_on = drawn_on
        self.exchanges: list[tuple[str, str, str, str]] = []
        self.findings: list[tuple[str, ...]] = []

    @event("DialogueExchanged")
    def exchange(self, on: str, kind: str, channel: str, by: str) -> None:
        """One exchange of the dialogue."""
        self.exchanges.append((on, kind, channel, by))

    @event("FindingRecorded")
    def record_finding(  # noqa: PLR0913, PLR0917 - the fields of FindingRecorded
        self,
        on: str,
        finding_id: str,
        kind: str,
        article: str,
        aspect: str,
        stage: str,
        section: str,
    ) -> None:
        """A finding."""
        self.findings.append((on, finding_id, kind, article, aspect, stage, section))


def bare_review(k: int, count: int) -> BareReview:
    """A bare review with the same events as :func:`review_events`."""
    review = BareReview(
        review=f"cycle-{k}/ARC",
        cycle=k,
        year=1,
        party_under_review="ARC",
        reviewers=list(REVIEWERS),
        drawn_on=DAY.isoformat(),
    )
    for i in range(1, count):
        if i % 2:
            review.exchange(
                on=DAY.isoformat(),
                kind=ExchangeKind.REQUEST_FOR_CLARIFICATION.value,
                channel=Channel.EMAIL.value,
                by="BRD",
            )
        else:
            review.record_finding(
                on=DAY.isoformat(),
                finding_id=f"finding-{i}",
                kind=FindingKind.GOOD_PRACTICE.value,
                article="art-5",
                aspect=Aspect.LAW.value,
                stage=Stage.DESK_REVIEW.value,
                section=f"finding-{i}",
            )
    return review


class BareMaterial(Aggregate):
    """Bare eventsourcing's material: filings with a base64 value, like untoc's."""

    @event("FirstMaterialFiled")
    def __init__(self, review: str, section: str, sealed: str) -> None:
        self.filed: list[tuple[str, str, str]] = [(review, section, sealed)]

    @event("MaterialFiled")
    def file(self, review: str, section: str, sealed: str) -> None:
        """One filing."""
        self.filed.append((review, section, sealed))


# -- one run ---------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` took."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def untoc_review_run(world: World, events: int, batch: int) -> Figures:
    """Append review streams of ``batch`` events each, then fold them all."""
    store = world.vault.mechanism.store
    batches = [review_events(k, batch) for k in range(1, events // batch + 1)]

    def append() -> None:
        for k, steps in enumerate(batches, start=1):
            store.append(
                NewEvents(
                    stream=stream_of(f"cycle-{k}/ARC"), expected_version=0, events=steps
                ),
                recorded_at=world.clock.now(),
                actor="secretariat",
            )

    def replay() -> None:
        mechanism = Mechanism(store, world.clock)
        for k in range(1, len(batches) + 1):
            state = mechanism.country_review(f"cycle-{k}/ARC")
            if state.version != batch:
                msg = f"review {k} folded to version {state.version}"
                raise AssertionError(msg)

    total = len(batches) * batch
    return {"append": total / timed(append), "replay": total / timed(replay)}


def untoc_material_run(world: World, events: int, batch: int, size: int) -> Figures:
    """File sealed material ``batch`` items per append, then fold the stream."""
    vault = world.vault
    mechanism = vault.mechanism
    store = mechanism.store
    decision = mechanism.decide_access("BRD", ARCADIA, Scope.DOSSIER, Action.WRITE)
    stream = material_stream(ARCADIA)
    contents = [os.urandom(size) for _ in range(batch)]
    sealers = [vault.sealer("BRD", ARCADIA, Scope.DOSSIER, c) for c in contents]
    rounds = events // batch

    def append() -> None:
        version = store.stream_version(stream)
        for _ in range(rounds):
            filed: list[Event] = []
            for i, seal in enumerate(sealers):
                section = f"doc-{version + i + 1}"
                context = _seal_context(decision.epoch, version + i + 1, section)
                sealed, _sha, _size = seal(context)
                filed.append(
                    MaterialFiled(
                        review=ARCADIA,
                        scope=Scope.DOSSIER,
                        epoch=decision.epoch,
                        section=section,
                        filed_by="BRD",
                        sealed=sealed,
                    )
                )
            store.append(
                NewEvents(stream=stream, expected_version=version, events=tuple(filed)),
                recorded_at=world.clock.now(),
                actor="BRD",
            )
            version += batch

    def replay() -> None:
        material = Mechanism(store, world.clock).review_material(ARCADIA)
        if len(material.filed) != rounds * batch:
            msg = f"{len(material.filed)} filings folded"
            raise AssertionError(msg)

    total = rounds * batch
    return {
        "append": total / timed(append),
        "replay": total / timed(replay),
        "store-only": total
        / timed(lambda: presealed_append(world, events, batch, size)),
    }


def presealed_append(world: World, events: int, batch: int, size: int) -> None:
    """Append filings of one value sealed beforehand: the store's share alone.

    They go to another review's stream (``material/cycle-1/DYS``), whose rows the
    store seals whole like any other; only the sealing of values is left out.
    """
    vault = world.vault
    mechanism = vault.mechanism
    decision = mechanism.decide_access("ELB", DYSTOPIA, Scope.DOSSIER, Action.WRITE)
    stream = material_stream(DYSTOPIA)
    seal = vault.sealer("ELB", DYSTOPIA, Scope.DOSSIER, os.urandom(size))
    context = SealContext(
        review=DYSTOPIA,
        scope=Scope.DOSSIER.value,
        epoch=decision.epoch,
        aggregate=stream,
        version=1,
        field="doc-1",
    )
    sealed, _sha, _size = seal(context)
    version = mechanism.store.stream_version(stream)
    for _ in range(events // batch):
        filed = tuple(
            MaterialFiled(
                review=DYSTOPIA,
                scope=Scope.DOSSIER,
                epoch=decision.epoch,
                section=f"doc-{version + i + 1}",
                filed_by="ELB",
                sealed=sealed,
            )
            for i in range(batch)
        )
        mechanism.store.append(
            NewEvents(stream=stream, expected_version=version, events=filed),
            recorded_at=world.clock.now(),
            actor="ELB",
        )
        version += batch


def _seal_context(epoch: int, version: int, section: str) -> SealContext:
    """The context ``Mechanism.file_material`` gives the sealer."""
    return SealContext(
        review=ARCADIA,
        scope=Scope.DOSSIER.value,
        epoch=epoch,
        aggregate=material_stream(ARCADIA),
        version=version,
        field=section,
    )


def sealed_length(world: World, size: int) -> int:
    """The length of one sealed value of ``size`` bytes, as untoc stores it."""
    vault = world.vault
    decision = vault.mechanism.decide_access(
        "BRD", ARCADIA, Scope.DOSSIER, Action.WRITE
    )
    seal = vault.sealer("BRD", ARCADIA, Scope.DOSSIER, os.urandom(size))
    sealed, _sha, _size = seal(_seal_context(decision.epoch, 1, "doc-1"))
    return len(sealed)


def bare_review_run(app: Application, events: int, batch: int) -> Figures:
    """Bare eventsourcing: save one review aggregate per batch, then get them all."""
    ids: list[UUID] = []

    def append() -> None:
        for k in range(1, events // batch + 1):
            review = bare_review(k, batch)
            app.save(review)
            ids.append(review.id)

    def replay() -> None:
        for review_id in ids:
            review = app.repository.get(review_id)
            if review.version != batch:
                msg = f"bare review folded to version {review.version}"
                raise AssertionError(msg)

    total = (events // batch) * batch
    return {"append": total / timed(append), "replay": total / timed(replay)}


def bare_material_run(
    app: Application, events: int, batch: int, sealed_len: int
) -> Figures:
    """Bare eventsourcing: one material aggregate saved ``batch`` filings at a time."""
    value = base64.b64encode(os.urandom(sealed_len)).decode("ascii")
    rounds = events // batch
    holder: list[BareMaterial] = []

    def append() -> None:
        n = 0
        for _ in range(rounds):
            for _ in range(batch):
                n += 1
                if not holder:
                    holder.append(BareMaterial(ARCADIA, f"doc-{n}", value))
                else:
                    holder[0].file(ARCADIA, f"doc-{n}", value)
            app.save(holder[0])

    def replay() -> None:
        material = app.repository.get(holder[0].id)
        if len(material.filed) != rounds * batch:
            msg = f"{len(material.filed)} bare filings folded"
            raise AssertionError(msg)

    total = rounds * batch
    return {"append": total / timed(append), "replay": total / timed(replay)}


def tlog_run(world: World, settings: Settings) -> Figures:
    """Catch the transparency log up with every row, then audit the rows."""
    store = world.vault.mechanism.store
    if not isinstance(store, RecorderEventStore):
        msg = "the benchmark needs a recorder event store"
        raise TypeError(msg)
    log_store = open_log_store(settings)
    try:
        start = time.perf_counter()
        added = follow(store, log_store, ORIGIN)
        catch_up = time.perf_counter() - start
        start = time.perf_counter()
        log = log_store.load(ORIGIN)
        rows = list(iter_rows(store))
        result = verify_rows(rows, log.checkpoint(), log=log.snapshot())
        verify = time.perf_counter() - start
    finally:
        log_store.close()
    if not result.ok or len(rows) != added:
        msg = "the benchmark's history does not verify"
        raise AssertionError(msg)
    return {
        "rows": float(added),
        "catch-up": added / catch_up,
        "verify": added / verify,
    }


# -- backends --------------------------------------------------------------------------


class Backend:
    """Fresh untoc and bare storage for one run on one backend."""

    name = ""

    def untoc(self, folder: Path) -> tuple[World, Settings]:
        """A vault world on fresh storage and the settings it was opened with."""
        raise NotImplementedError

    def bare(self, folder: Path) -> Application:
        """A bare eventsourcing application on fresh storage."""
        raise NotImplementedError

    def cleanup(self) -> None:
        """Remove what the run made outside its folder."""


class SQLiteBackend(Backend):
    """A SQLite file in the run's folder."""

    name = "sqlite"

    def untoc(self, folder: Path) -> tuple[World, Settings]:
        """See :meth:`Backend.untoc`."""
        data_dir = folder / "untoc"
        world = open_world(data_dir)
        return world, Settings(data_dir=data_dir, store="sqlite")

    def bare(self, folder: Path) -> Application:
        """See :meth:`Backend.bare`."""
        return _application(
            {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(folder / "bare.sqlite3"),
            }
        )


class PostgresBackend(Backend):
    """A fresh schema for each store, dropped after the run."""

    name = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self.schemas: list[str] = []

    def _schema(self) -> str:
        import psycopg  # noqa: PLC0415 - only with the postgres extra

        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        self.schemas.append(name)
        return name

    def untoc(self, folder: Path) -> tuple[World, Settings]:
        """See :meth:`Backend.untoc`."""
        url = f"{self.url}?schema={self._schema()}"
        data_dir = folder / "untoc"
        world = open_world(data_dir, store="postgres", store_url=url)
        return world, Settings(data_dir=data_dir, store="postgres", store_url=url)

    def bare(self, folder: Path) -> Application:  # noqa: ARG002 - no file
        """See :meth:`Backend.bare`."""
        connection = parse_store_url(self.url).connection
        return _application(
            {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": connection.dbname,
                "POSTGRES_HOST": connection.host,
                "POSTGRES_PORT": str(connection.port),
                "POSTGRES_USER": connection.user,
                "POSTGRES_PASSWORD": connection.password,
                "POSTGRES_SCHEMA": self._schema(),
                "POSTGRES_POOL_SIZE": "2",
            }
        )

    def cleanup(self) -> None:
        """Drop the run's schemas."""
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.schemas.clear()


def _application(env: dict[str, str]) -> Application:
    """A bare application with eventsourcing's AES cipher and no compressor."""
    return Application(
        env={
            **env,
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": AESCipher.create_key(num_bytes=32),
            "COMPRESSOR_TOPIC": "",
            "IS_SNAPSHOTTING_ENABLED": "no",
        }
    )


def one_run(backend: Backend, events: int, batch: int, size: int) -> dict[str, Figures]:
    """Every figure of one run, on fresh storage."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            world, settings = backend.untoc(folder)
            try:
                open_reviews(world)
                sealed_len = sealed_length(world, size)
                untoc_review = untoc_review_run(world, events, batch)
                untoc_material = untoc_material_run(world, events, batch, size)
                tlog = tlog_run(world, settings)
            finally:
                world.close()
            app = backend.bare(folder)
            try:
                bare_review = bare_review_run(app, events, batch)
                bare_material = bare_material_run(app, events, batch, sealed_len)
            finally:
                app.close()
        finally:
            backend.cleanup()
    return {
        "untoc review": untoc_review,
        "bare review": bare_review,
        "untoc material": untoc_material,
        "bare material": bare_material,
        "tlog": tlog,
    }


# -- report ----------------------------------------------------------------------------


def spread(values: list[float]) -> str:
    """The median with min and max."""
    return f"{statistics.median(values):>9,.0f} [{min(values):,.0f}-{max(values):,.0f}]"


def report(name: str, runs: list[dict[str, Figures]]) -> None:
    """Print one backend's medians and ratios."""
    print(f"\n{name}: events/s, median [min-max] over {len(runs)} run(s)")
    for workload in ("review", "material"):
        for op in ("append", "replay"):
            ours = [r[f"untoc {workload}"][op] for r in runs]
            bare = [r[f"bare {workload}"][op] for r in runs]
            ratio = statistics.median(o / b for o, b in zip(ours, bare, strict=True))
            verdict = "met" if ratio >= TARGET else "NOT met"
            label = f"{workload} {op}"
            print(
                f"  {label:<16} untoc {spread(ours)}   bare {spread(bare)}   "
                f"ratio {ratio:.2f} (target {TARGET}: {verdict})"
            )
    ours = [r["untoc material"]["store-only"] for r in runs]
    bare = [r["bare material"]["append"] for r in runs]
    ratio = statistics.median(o / b for o, b in zip(ours, bare, strict=True))
    print(
        f"  {'(store only)':<16} untoc {spread(ours)}   bare {spread(bare)}   "
        f"ratio {ratio:.2f} (material append with values sealed beforehand)"
    )
    rows = int(statistics.median(r["tlog"]["rows"] for r in runs))
    for op in ("catch-up", "verify"):
        label = "tlog catch-up" if op == "catch-up" else "audit verify"
        print(f"  {label:<16} {spread([r['tlog'][op] for r in runs])}   ({rows} rows)")


def profile(backend: Backend, events: int, batch: int, size: int, top: int) -> None:
    """Run the untoc path once under cProfile and print where the time goes."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            world, _settings = backend.untoc(Path(tmp))
            try:
                open_reviews(world)
                for workload, run in (
                    ("review", lambda: untoc_review_run(world, events, batch)),
                    (
                        "material",
                        lambda: untoc_material_run(world, events, batch, size),
                    ),
                ):
                    profiler = cProfile.Profile()
                    profiler.runcall(run)
                    out = io.StringIO()
                    stats = pstats.Stats(profiler, stream=out)
                    stats.sort_stats("tottime").print_stats(top)
                    stats.sort_stats("cumulative").print_stats(top)
                    print(f"\nprofile of untoc {workload} on {backend.name}:")
                    print(_trimmed(out.getvalue()))
            finally:
                world.close()
        finally:
            backend.cleanup()


def _trimmed(text: str) -> str:
    """The profile text with the repository's and site-packages' prefixes cut."""
    with contextlib.suppress(ValueError):
        site = sys.modules["eventsourcing"].__file__ or ""
        text = text.replace(str(Path(site).parents[1]) + os.sep, "")
    return text.replace(str(Path(__file__).resolve().parents[1]) + os.sep, "")


def postgres_reason(url: str) -> str | None:
    """None if PostgreSQL answers at ``url``, else why not."""
    try:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - reported, and the backend skipped
        return " ".join(str(exc).split())


def backends(choice: str, url: str) -> Iterator[Backend]:
    """The backends asked for; PostgreSQL is skipped, with the reason, if down."""
    if choice in {"sqlite", "both"}:
        yield SQLiteBackend()
    if choice in {"postgres", "both"}:
        reason = postgres_reason(url)
        if reason is None:
            yield PostgresBackend(url)
        else:
            print(f"\npostgres skipped: {reason}")


def main(argv: list[str] | None = None) -> None:
    """Parse the options, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--backend", choices=("sqlite", "postgres", "both"), default="both"
    )
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=1024, help="material bytes")
    parser.add_argument("--pg", default=PG_URL, help="PostgreSQL URL")
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    parser.add_argument("--profile", action="store_true", help="cProfile untoc")
    parser.add_argument("--top", type=int, default=25, help="profile lines")
    options = parser.parse_args(argv)
    if options.quick:
        options.events, options.batch, options.repeat, options.size = 40, 10, 1, 256
    if options.batch < 2 or options.events < options.batch:
        parser.error("need --batch >= 2 and --events >= --batch")
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: {options.repeat} run(s) of "
        f"{options.events} events in batches of {options.batch}, material of "
        f"{options.size} bytes; bare = eventsourcing "
        "Application + eventsourcing.cryptography:AESCipher, no compressor"
    )
    for backend in backends(options.backend, options.pg):
        runs = [
            one_run(backend, options.events, options.batch, options.size)
            for _ in range(options.repeat)
        ]
        report(backend.name, runs)
        if options.profile:
            profile(backend, options.events, options.batch, options.size, options.top)


if __name__ == "__main__":
    main()
