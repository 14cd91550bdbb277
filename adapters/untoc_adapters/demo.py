"""``untoc demo``: a whole first review cycle of every State party, end to end.

The demo runs the mechanism on the shipped registry, deterministically from a
seed, on a simulated clock, in a fresh data folder (SQLite and local key files):

1. **setup**: the registry snapshot, the Conference's default distribution (annex
   II), one governmental expert per party on a circulated list, and a principal
   with its own keys for every State's focal point and the secretariat;
2. **draws**: the review years (with deferrals), then each year's reviewers
   (with redraws and deferrals of serving), each on a seed fixed by a ceremony;
3. **reviews**: every review through its lifecycle, with synthetic content that
   is sealed: checklist answers, dialogue, findings; some country visits, some
   late steps, one disagreement settled by a new draft;
4. **reports**: every country review report (DOCX and HTML, in the review's
   working language), PDF for a sample in three scripts, every executive summary
   in the six languages, three summaries published, the thematic report and its
   regional addenda, the expert group reports and the performance report;
5. **outputs**: the cycle chart, one iCalendar file of every deadline, one
   review's checklist as a workbook in each of the six languages;
6. **audit**: the transparency log, a signed checkpoint, ``audit verify`` and the
   auditor's report.

Everything it writes for people goes under ``DATA_DIR/out``. Content is
synthetic and labelled as such; translations too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import attrs

from untoc_adapters import checklists as desk
from untoc_adapters import reports
from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.cli.audit import audit_store, write_audit_report
from untoc_adapters.cli.cycle import cycle_chart
from untoc_adapters.cli.review import review_calendar
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.render.messages import word
from untoc_adapters.settings import Settings
from untoc_adapters.solvers import default_solver
from untoc_adapters.vault import Vault
from untoc_core.checklists import AnswerKind, Stakeholder, default_bank
from untoc_core.conference import Decision
from untoc_core.confidentiality import REVIEW_SCOPES, PrincipalKind, Scope
from untoc_core.drawing.ceremony import AnnounceDraw, FixSeed, PublishedSeed
from untoc_core.drawing.inputs import reviewers_draw_id, years_draw_id
from untoc_core.errors import UntocError
from untoc_core.events import Event
from untoc_core.mechanism import Mechanism
from untoc_core.ports import CompletionSolver
from untoc_core.registry import NominateGovernmentalExpert
from untoc_core.reports import publication as pub
from untoc_core.reports.country import country_report
from untoc_core.reports.document import Document
from untoc_core.reviews import events as ev
from untoc_core.reviews.deadlines import Deadline
from untoc_core.reviews.model import CountryReview
from untoc_core.terms import Instrument

DEFAULT_SEED: Final = "5eed0f0c0a1d2026"
"""The seed of ``untoc demo`` unless ``--seed`` is given (published in the docs)."""
CYCLE: Final = 1
STARTS_ON: Final = dt.date(2026, 1, 1)
DECISION: Final = Decision(
    symbol="decision 5/5 (demo)", adopted_on=dt.date(2025, 10, 17)
)
SECRETARIAT: Final = "secretariat"
PDF_SAMPLE_LANGUAGES: Final = ("ar", "zh", "ru")
"""The working languages of the reviews whose reports are also rendered as PDF."""
PUBLISHED_SUMMARIES: Final = 3
CONFIDENTIAL_SAMPLE: Final = 400
"""How many checklist answers the outcome keeps as a sample of what was sealed."""
CONFIDENTIAL_MIN: Final = 12


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


ARABIC: Final = _codes(
    "ARE BHR COM DJI DZA EGY IRQ JOR KWT LBN LBY MAR MRT OMN PSE QAT SAU SDN "
    "SOM SYR TUN YEM"
)
CHINESE: Final = frozenset({"CHN"})
RUSSIAN: Final = _codes("ARM AZE BLR KAZ KGZ MDA RUS TJK TKM UZB")
SPANISH: Final = _codes(
    "ARG BOL CHL COL CRI CUB DOM ECU ESP GNQ GTM HND MEX NIC PAN PER PRY SLV URY VEN"
)
FRENCH: Final = _codes(
    "BDI BEL BEN BFA CAF CIV CMR COD COG FRA GAB GIN HTI LUX MCO MDG MLI NER "
    "SEN TCD TGO"
)
"""States whose reviews the demo runs in Arabic, Chinese, Russian, Spanish or
French; the others run in English. A plausible choice for synthetic content,
not a record of any State's actual working language."""
LATE_EVERY: Final = 7
"""One review in this many has late steps."""
VISIT_EVERY: Final = 4
"""One review in this many has a country visit."""

SYNTHETIC: Final = {
    "ar": "نص تجريبي",
    "zh": "示例文本",
    "en": "Synthetic text",
    "fr": "Texte fictif",
    "ru": "Условный текст",
    "es": "Texto ficticio",
}
"""How each language says that a text is synthetic (demonstration content)."""
FINDINGS: Final = {
    ev.FindingKind.GOOD_PRACTICE: (
        "A specialised prosecution unit handles organized crime cases.",
        "Joint investigation teams are used with neighbouring States.",
        "Asset recovery offices share information through a secure platform.",
    ),
    ev.FindingKind.CHALLENGE: (
        "Statistics on prosecutions and convictions are not collected nationally.",
        "Judicial capacity to handle complex financial evidence is limited.",
        "Mutual legal assistance requests take more than a year on average.",
    ),
    ev.FindingKind.OBSERVATION: (
        "The offence of participation requires a financial or material benefit.",
        "Liability of legal persons is limited to administrative sanctions.",
        "The law does not cover the laundering of proceeds of all serious crimes.",
    ),
    ev.FindingKind.TECHNICAL_ASSISTANCE_NEED: (
        "Training of judges and prosecutors on financial investigations.",
        "Support to set up a case management system.",
        "Legislative drafting assistance on the liability of legal persons.",
    ),
}
"""Synthetic findings; each review draws some, so the compilations have common ones."""


def language_of(code: str) -> str:
    """The working language the demo gives the review of ``code`` (ToR 49)."""
    for language, codes in (
        ("ar", ARABIC),
        ("zh", CHINESE),
        ("ru", RUSSIAN),
        ("es", SPANISH),
        ("fr", FRENCH),
    ):
        if code in codes:
            return language
    return "en"


def lay_out_documents(
    documents: Sequence[tuple[Document, Sequence[reports.Format]]],
) -> list[bytes]:
    """Each document worded (labelled synthetic) and laid out in its formats.

    Run in a worker process: the bytes of every document in every one of its
    formats, in order.
    """
    out: list[bytes] = []
    for document, formats in documents:
        plain = word(attrs.evolve(document, synthetic=True))
        out.extend(reports.render_plain(plain, fmt) for fmt in formats)
    return out


Rows = list[tuple[CountryReview, tuple[Deadline, ...]]]
"""Every review of the cycle with its deadlines."""


def draw_cycle_chart(rows: Rows, as_of: dt.date) -> dict[str, bytes]:
    """The cycle chart as PNG and SVG (run in a worker process)."""
    figure = cycle_chart(CYCLE, rows, as_of=as_of)
    drawn: dict[str, bytes] = {}
    for suffix in ("png", "svg"):
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format=suffix,
            dpi=110,
            metadata={"Date": None} if suffix == "svg" else {},
        )
        drawn[suffix] = buffer.getvalue()
    return drawn


def cycle_calendar(rows: Rows, stamp: dt.datetime) -> bytes | None:
    """Every review's deadlines in one iCalendar file (run in a worker process)."""
    calendar = None
    for state, deadlines in rows:
        part = review_calendar(state, deadlines, stamp=stamp)
        if calendar is None:
            calendar = part
            calendar["x-wr-calname"] = f"Deadlines of cycle {CYCLE}"
        else:
            for component in part.subcomponents:
                calendar.add_component(component)
    return None if calendar is None else bytes(calendar.to_ical())


@attrs.frozen
class _Drawn:
    """The chart and calendar the workers are drawing; the checklist to export."""

    sample: CountryReview | None
    chart: Future[dict[str, bytes]]
    calendar: Future[bytes | None]


class DemoRefused(UntocError):
    """The demo cannot run here (a folder that is not empty, without ``--force``)."""


@attrs.define
class Outcome:
    """What a demo run did: figures, timings by phase, and every file it wrote."""

    seed: str
    data_dir: Path
    figures: dict[str, int] = attrs.Factory(dict)
    timings: dict[str, float] = attrs.Factory(dict)
    files: list[Path] = attrs.Factory(list)
    audit_ok: bool = False
    audit_rows: int = 0
    controls_passed: int = 0
    controls: int = 0
    confidential: list[str] = attrs.Factory(list)
    """A sample of the confidential texts the demo sealed (answers, dialogue,
    findings), so that a test can look for them where they must not be."""


Progress = Callable[[str, int, int], None]
"""Called with a phase, the work done and the work in it."""


def _quiet(phase: str, done: int, total: int) -> None:
    del phase, done, total


@attrs.define
class Demo:
    """One run of the demo in ``data_dir`` from ``seed``."""

    data_dir: Path
    seed: str = DEFAULT_SEED
    progress: Progress = _quiet
    vault: Vault = attrs.field(init=False)
    clock: SimulatedClock = attrs.field(init=False)
    rng: random.Random = attrs.field(init=False)
    outcome: Outcome = attrs.field(init=False)
    solver: CompletionSolver = attrs.field(init=False, factory=default_solver)

    def __attrs_post_init__(self) -> None:
        self.rng = random.Random(hashlib.sha256(self.seed.encode()).digest())  # noqa: S311 - synthetic content
        self.outcome = Outcome(seed=self.seed, data_dir=self.data_dir)

    @property
    def mechanism(self) -> Mechanism:
        """The mechanism the demo runs."""
        return self.vault.mechanism

    @property
    def out(self) -> Path:
        """Where the demo writes what it produces for people."""
        return self.data_dir / "out"

    # -- running -------------------------------------------------------------------

    def run(self) -> Outcome:
        """Run every phase; return what was done."""
        self.clock = SimulatedClock(dt.datetime(2025, 10, 20, 9, 0, tzinfo=dt.UTC))
        settings = Settings(data_dir=self.data_dir, store="sqlite")
        self.vault = open_vault(settings, self.clock)
        try:
            with self._phase("setup"):
                self.setup()
            with self._phase("draws"):
                self.draw_years()
            with self._phase("reviews"):
                for year in range(1, 6):
                    self.year(year)
            with self._workers() as pool:
                with self._phase("reports"):
                    drawn = self.start_outputs(pool)
                    self.write_reports(pool)
                with self._phase("outputs"):
                    self.write_outputs(drawn)
                    pool.shutdown()
            with self._phase("audit"):
                self.audit(settings)
        finally:
            self.mechanism.store.close()
        return self.outcome

    @contextmanager
    def _workers(self) -> Iterator[ProcessPoolExecutor]:
        """One worker process per core, for laying out documents and charts."""
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=os.cpu_count() or 2, mp_context=context
        ) as pool:
            yield pool

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.outcome.timings[name] = time.perf_counter() - started

    def _write(self, relative: str, data: bytes) -> Path:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.outcome.files.append(path)
        return path

    def _at(self, day: dt.date) -> None:
        """Move the simulated clock forward to 09:00 on ``day`` (never back)."""
        when = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
        if when > self.clock.now():
            self.clock.advance(when - self.clock.now())

    # -- setup ---------------------------------------------------------------------

    def setup(self) -> None:
        """Registry, Conference decisions, experts, and every principal's keys."""
        mechanism = self.mechanism
        mechanism.load_reference_snapshot()
        mechanism.establish_default_distribution(decision=DECISION, starts_on=STARTS_ON)
        parties = [e.code for e in mechanism.parties_at_start(CYCLE)]
        self.outcome.figures["States parties"] = len(parties)
        for i, code in enumerate(parties):
            mechanism.nominate_expert(
                NominateGovernmentalExpert(
                    code=code,
                    expert_id=f"{code}-1",
                    name=f"Expert {i + 1} of {code} (synthetic)",
                    background="public prosecutor",
                    position="senior prosecutor",
                    offices="central authority",
                    expertise=("organized crime",),
                    instruments=frozenset({Instrument.UNTOC}),
                )
            )
        mechanism.circulate_expert_list(on=dt.date(2025, 12, 1))
        self.vault.register(SECRETARIAT, PrincipalKind.SECRETARIAT)
        self.vault.register("auditor", PrincipalKind.AUDITOR)
        self.vault.register("expert-group", PrincipalKind.EXPERT_GROUP)
        for i, code in enumerate(parties):
            self.vault.register(code, PrincipalKind.STATE_FOCAL_POINT, code)
            self.progress("setup", i + 1, len(parties))

    # -- draws ---------------------------------------------------------------------

    def _ceremony(self, draw_id: str) -> None:
        mechanism = self.mechanism
        name = f"demo beacon {draw_id}"
        mechanism.announce_draw(
            AnnounceDraw(
                draw_id=draw_id,
                inputs_sha256=mechanism.draw_inputs(draw_id, solver=self.solver).sha256,
                source=PublishedSeed(
                    name=name, due=self.clock.now() + dt.timedelta(days=1)
                ),
            )
        )
        self.clock.advance(dt.timedelta(days=2))
        value = hashlib.sha256(f"{self.seed}/{draw_id}".encode()).hexdigest()
        mechanism.fix_seed(FixSeed(draw_id=draw_id, value_name=name, value=value))

    def draw_years(self) -> None:
        """The review years, then a few deferrals to the following year (ToR 14)."""
        self._at(dt.date(2025, 12, 10))
        self._ceremony(years_draw_id(CYCLE))
        self.mechanism.draw_review_years(
            CYCLE, accept_stale_registry=True, solver=self.solver
        )
        years = self.mechanism.review_years(CYCLE)
        deferred = 0
        for code in sorted(years[0])[:: max(1, len(years[0]) // 3)][:3]:
            try:
                self.mechanism.defer_review_year(
                    CYCLE,
                    code,
                    "Elections delay the national consultation (synthetic).",
                    solver=self.solver,
                )
                deferred += 1
            except UntocError:
                continue
        self.outcome.figures["review years deferred"] = deferred

    def draw_reviewers(self, year: int) -> list[tuple[str, tuple[str, ...]]]:
        """A year's reviewers, with one redraw and one deferral of serving."""
        mechanism = self.mechanism
        self._ceremony(reviewers_draw_id(CYCLE, year))
        mechanism.draw_reviewers(
            CYCLE, year, accept_stale_registry=True, solver=self.solver
        )
        drawn = mechanism.reviewers(CYCLE, year)
        if drawn:
            first = drawn[self.rng.randrange(len(drawn))]
            try:
                mechanism.redraw(CYCLE, year, first.under_review, solver=self.solver)
                self.outcome.figures["redraws"] = (
                    self.outcome.figures.get("redraws", 0) + 1
                )
            except UntocError:
                pass
            drawn = mechanism.reviewers(CYCLE, year)
            second = drawn[self.rng.randrange(len(drawn))]
            reviewer = second.reviewers[-1]
            try:
                mechanism.defer_serving(
                    CYCLE,
                    year,
                    reviewer,
                    "Its experts serve in another review (synthetic).",
                    solver=self.solver,
                )
                self.outcome.figures["deferrals of serving"] = (
                    self.outcome.figures.get("deferrals of serving", 0) + 1
                )
            except UntocError:
                pass
        return [
            (d.under_review, tuple(d.reviewers))
            for d in mechanism.reviewers(CYCLE, year)
        ]

    # -- reviews -------------------------------------------------------------------

    def year(self, year: int) -> None:
        """Draw a year's reviewers and take every review of it to its end."""
        start = STARTS_ON.replace(year=STARTS_ON.year + year - 1)
        self._at(start + dt.timedelta(days=3))
        drawn = self.draw_reviewers(year)
        self._at(start + dt.timedelta(days=360))
        for i, (code, _) in enumerate(drawn):
            self.review(f"cycle-{CYCLE}/{code}", start + dt.timedelta(days=3), i)
            self.progress(f"reviews, year {year}", i + 1, len(drawn))
        self.outcome.figures["country reviews"] = self.outcome.figures.get(
            "country reviews", 0
        ) + len(drawn)

    def review(self, review: str, drawn_on: dt.date, index: int) -> None:
        """One review, from its opening to its agreed executive summary."""
        mechanism = self.mechanism
        code = review.split("/")[1]
        mechanism.open_review(review)
        reviewers = mechanism.country_review(review).reviewers
        for scope in REVIEW_SCOPES:
            mechanism.open_scope(review, scope, list(reviewers))
        story = _Story(
            demo=self,
            review=review,
            code=code,
            reviewers=reviewers,
            language=language_of(code),
            drawn_on=drawn_on,
            late=index % LATE_EVERY == LATE_EVERY // 2,
        )
        story.answer()
        story.dialogue(visit=index % VISIT_EVERY == 0)
        story.findings()
        story.agree(disagreement=index == 1)

    def answers(self, review: str, language: str) -> dict[str, str]:
        """Synthetic answers to every question, in ``language``."""
        bank = default_bank()
        answers: dict[str, str] = {}
        for q in self.mechanism.checklist(review).questions:
            if q.answer is AnswerKind.CHOICE:
                answers[q.id] = self.rng.choice(bank.choices[q.choices].values)
            elif q.answer is AnswerKind.DATE:
                answers[q.id] = "2004-05-06"
            else:
                answers[q.id] = (
                    f"{SYNTHETIC[language]} ({q.id}): {self.rng.randrange(10**9):09d}."
                )
        return answers

    # -- reports -------------------------------------------------------------------

    def write_reports(self, pool: Executor) -> None:
        """Every report of the cycle, in the formats and languages promised.

        Documents are built here, from the store; wording them and laying them out
        as DOCX, HTML and PDF, the slow part, is done by ``pool`` (one worker
        process per core) meanwhile, a review's documents (its report and its
        summaries) in one task.
        """
        vault, today = self.vault, self.clock.now().date()
        states = reports.reviews_of(self.mechanism, CYCLE)
        pdf_left = set(PDF_SAMPLE_LANGUAGES)
        published = 0
        pending: list[tuple[list[str], Future[list[bytes]]]] = []

        def lay_out(
            batch: list[tuple[str, Document, Sequence[reports.Format]]],
        ) -> None:
            names = [
                f"{relative}.{fmt.value}"
                for relative, _, formats in batch
                for fmt in formats
            ]
            work = [(document, tuple(formats)) for _, document, formats in batch]
            pending.append((names, pool.submit(lay_out_documents, work)))

        for i, state in enumerate(states):
            code = state.party_under_review
            language = language_of(code)
            facts = reports.report_facts(vault, SECRETARIAT, state.review, today=today)
            formats = [reports.Format.DOCX, reports.Format.HTML]
            if language in pdf_left:
                pdf_left.discard(language)
                formats.append(reports.Format.PDF)
            batch: list[tuple[str, Document, Sequence[reports.Format]]] = [
                (f"country/{code}", country_report(facts, language), formats)
            ]
            batch.extend(
                (
                    f"summaries/{code}.{summary_language}",
                    reports.summary_from(facts, summary_language, today=today),
                    (reports.Format.HTML,),
                )
                for summary_language in pub.LANGUAGES
            )
            lay_out(batch)
            if published < PUBLISHED_SUMMARIES:
                self._publish_summary(state.review)
                published += 1
            self.progress("reports", i + 1, len(states))
        for compilation in self._compilations(today):
            lay_out([compilation])
        written = 0
        total = sum(len(names) for names, _ in pending)
        for names, future in pending:
            for relative, data in zip(names, future.result(), strict=True):
                self._write(relative, data)
                written += 1
                self.progress("documents laid out", written, total)
        self.outcome.figures["summaries published"] = published
        self.outcome.figures["documents written"] = written

    def _publish_summary(self, review: str) -> None:
        for language in pub.LANGUAGES:
            text = (
                f"{SYNTHETIC[language]}: executive summary of {review} "
                f"({language}, synthetic translation)."
            )
            reports.deliver_translation(
                self.vault, SECRETARIAT, review, language=language, text=text
            )
            self.mechanism.record_translation(
                pub.TranslationChecked(
                    document=f"summary/{review}",
                    language=language,
                    sha256=_sha(text),
                    checked_by=SECRETARIAT,
                )
            )
        reports.publish(self.vault, f"summary/{review}")

    def _compilations(
        self, today: dt.date
    ) -> list[tuple[str, Document, Sequence[reports.Format]]]:
        """The thematic report and addenda, the expert group reports, performance."""
        vault = self.vault
        made = reports.compiled_findings(vault, SECRETARIAT, CYCLE)
        both = (reports.Format.HTML, reports.Format.DOCX)
        documents: list[tuple[str, Document, Sequence[reports.Format]]] = [
            (
                f"thematic/cycle-1.{language}",
                reports.thematic_document(
                    vault,
                    SECRETARIAT,
                    CYCLE,
                    language=language,
                    today=today,
                    compilation=made,
                ),
                both,
            )
            for language in pub.LANGUAGES
        ]
        groups = sorted(
            {
                e.regional_group.value
                for e in self.mechanism.registry().entries.values()
                if e.regional_group is not None
            }
        )
        documents.extend(
            (
                f"thematic/cycle-1.{group.split()[0].lower()}.en",
                reports.thematic_document(
                    vault,
                    SECRETARIAT,
                    CYCLE,
                    language="en",
                    today=today,
                    group=group,
                    compilation=made,
                ),
                (reports.Format.HTML,),
            )
            for group in groups
        )
        documents.extend(
            (
                f"expert-group/cycle-1.year-{year}.en",
                reports.expert_group_document(
                    vault,
                    SECRETARIAT,
                    CYCLE,
                    year=year,
                    language="en",
                    today=today,
                    compilation=made,
                ),
                both,
            )
            for year in range(1, 6)
        )
        documents.append(
            (
                "performance/cycle-1.en",
                reports.performance_document(
                    self.mechanism, CYCLE, language="en", today=today
                ),
                (reports.Format.HTML, reports.Format.PDF),
            )
        )
        return documents

    # -- other outputs -------------------------------------------------------------

    def start_outputs(self, pool: Executor) -> _Drawn:
        """Hand the cycle chart and the calendar of deadlines to ``pool``.

        They are drawn from the reviews' steps, which the reports do not change,
        while the reports are being written; :meth:`write_outputs` writes them.
        """
        mechanism = self.mechanism
        today = self.clock.now().date()
        states = reports.reviews_of(mechanism, CYCLE)
        rows = [(s, mechanism.review_timeline(s.review, as_of=today)) for s in states]
        return _Drawn(
            sample=states[0] if states else None,
            chart=pool.submit(draw_cycle_chart, rows, today),
            calendar=pool.submit(cycle_calendar, rows, self.clock.now()),
        )

    def write_outputs(self, drawn: _Drawn) -> None:
        """The cycle chart, the calendar of deadlines, a checklist in six languages."""
        for suffix, data in drawn.chart.result().items():
            self._write(f"cycle-{CYCLE}.{suffix}", data)
        calendar = drawn.calendar.result()
        if calendar is not None:
            self._write(f"cycle-{CYCLE}.ics", calendar)
        sample = drawn.sample
        if sample is None:
            return
        for language in pub.LANGUAGES:
            data = desk.export_workbook(
                self.vault,
                sample.party_under_review,
                sample.review,
                language=language,
            )
            self._write(f"checklist/{sample.party_under_review}.{language}.xlsx", data)

    # -- audit ---------------------------------------------------------------------

    def audit(self, settings: Settings) -> None:
        """Log every row, sign a checkpoint, verify, and write the auditor's report."""
        mechanism = self.mechanism
        checkpoint(settings, mechanism.store)
        verified = audit_store(settings, mechanism)
        result, _ = verified
        self.outcome.audit_ok = result.ok
        self.outcome.audit_rows = result.rows
        period = (dt.date(2025, 10, 1), self.clock.now().date())
        _, controls = write_audit_report(
            settings,
            mechanism,
            period,
            self.out / "audit",
            produced_at=self.clock.now(),
            verified=verified,
        )
        self.outcome.files.extend(
            [self.out / "audit" / "report.json", self.out / "audit" / "report.html"]
        )
        self.outcome.controls = len(controls)
        self.outcome.controls_passed = sum(1 for c in controls if c.passed)


@attrs.define
class _Story:
    """One country review of the demo, told step by step on its own dates."""

    demo: Demo
    review: str
    code: str
    reviewers: tuple[str, ...]
    language: str
    drawn_on: dt.date
    late: bool

    def day(self, n: int) -> dt.date:
        return self.drawn_on + dt.timedelta(days=n)

    def record(self, step: Event, actor: str) -> None:
        self.demo.mechanism.record_step(self.review, step, actor=actor)

    def answer(self) -> None:
        """Notification, working language, the checklist answered and submitted."""
        demo, code = self.demo, self.code
        self.record(
            ev.OfficiallyNotified(on=self.day(7), start_date=self.day(14), schedule=()),
            SECRETARIAT,
        )
        self.record(
            ev.FocalPointAppointed(on=self.day(12), focal_point=f"{code} focal point"),
            code,
        )
        # The experts write their findings in English (the synthetic ones are),
        # and the report is drafted in the State's language too (ToR 49, GL 30).
        languages = ("en", self.language) if self.language != "en" else ("en",)
        self.record(
            ev.WorkingLanguagesAgreed(on=self.day(14), languages=languages),
            SECRETARIAT,
        )
        demo.mechanism.issue_checklist(self.review)
        answers = demo.answers(self.review, self.language)
        if len(demo.outcome.confidential) < CONFIDENTIAL_SAMPLE:
            demo.outcome.confidential.extend(
                a for a in answers.values() if len(a) > CONFIDENTIAL_MIN
            )
        desk.save_answers(
            demo.vault,
            code,
            self.review,
            language=self.language,
            answers=answers,
            stakeholders=[
                Stakeholder(
                    name=f"{SYNTHETIC[self.language]} 1", relevance="legislation"
                )
            ],
        )
        desk.submit(demo.vault, code, self.review, on=self.day(90 if self.late else 50))
        self.record(
            ev.ChecklistResponseCirculated(on=self.day(95 if self.late else 60)),
            SECRETARIAT,
        )

    def dialogue(self, *, visit: bool) -> None:
        """The desk review, two exchanges (sealed), and perhaps a country visit."""
        demo, code, first = self.demo, self.code, self.reviewers[0]
        self.record(
            ev.DeskReviewOutcomeSubmitted(on=self.day(100 if self.late else 80)), first
        )
        self.record(
            ev.DialogueOpened(on=self.day(105 if self.late else 85)), SECRETARIAT
        )
        exchanges = ((ev.Channel.VIDEO, first), (ev.Channel.EMAIL, code))
        for n, (channel, by) in enumerate(exchanges, start=1):
            text = (
                f"{SYNTHETIC[self.language]}: dialogue {n} of {self.review} "
                f"({demo.rng.random():.6f})"
            )
            demo.vault.file(
                SECRETARIAT, self.review, Scope.DOSSIER, f"dialogue-{n}", text.encode()
            )
            demo.outcome.confidential.append(text)
            kind = (
                ev.ExchangeKind.ANSWER
                if by == code
                else ev.ExchangeKind.REQUEST_FOR_CLARIFICATION
            )
            self.record(
                ev.DialogueExchanged(
                    on=self.day(110 + n), kind=kind, channel=channel, by=by
                ),
                SECRETARIAT,
            )
        if visit:
            self.record(
                ev.DirectDialogueAgreed(
                    on=self.day(115), kind=ev.DirectDialogue.COUNTRY_VISIT
                ),
                code,
            )
            self.record(
                ev.DirectDialogueHeld(
                    kind=ev.DirectDialogue.COUNTRY_VISIT,
                    starts=self.day(130),
                    ends=self.day(132),
                    stakeholders=("civil society", "private sector"),
                ),
                code,
            )

    def findings(self) -> None:
        """One finding of each kind, on an article under review, its text sealed."""
        demo, first = self.demo, self.reviewers[0]
        questions = demo.mechanism.checklist(self.review).questions
        articles = sorted({q.article for q in questions if q.article})
        for n, (kind, texts) in enumerate(FINDINGS.items(), start=1):
            section = f"finding-{n}"
            text = demo.rng.choice(texts)
            demo.vault.file(first, self.review, Scope.DOSSIER, section, text.encode())
            if text not in demo.outcome.confidential:
                demo.outcome.confidential.append(text)
            self.record(
                ev.FindingRecorded(
                    on=self.day(140),
                    finding_id=f"{self.code}-{n}",
                    kind=kind,
                    article=demo.rng.choice(articles),
                    aspect=ev.Aspect.LAW if n % 2 else ev.Aspect.PRACTICE,
                    stage=ev.Stage.DESK_REVIEW,
                    section=section,
                ),
                first,
            )
        self.record(ev.DialogueClosed(on=self.day(145)), SECRETARIAT)

    def agree(self, *, disagreement: bool) -> None:
        """The draft, the agreements (a disagreement: a new draft), the summary."""
        code = self.code
        draft = _sha(f"{self.review} draft 1")
        self.record(
            ev.DraftReportSent(on=self.day(150), draft_sha256=draft), SECRETARIAT
        )
        if disagreement:  # settled by dialogue and a new draft
            self.record(
                ev.DisagreementRecorded(on=self.day(160), draft_sha256=draft, by=code),
                code,
            )
            draft = _sha(f"{self.review} draft 2")
            self.record(
                ev.DraftReportSent(on=self.day(175), draft_sha256=draft), SECRETARIAT
            )
            self.demo.outcome.figures["disagreements settled"] = 1
        states = (code, *self.reviewers)
        for state in states:
            self.record(
                ev.ReportAgreed(on=self.day(180), draft_sha256=draft, by=state), state
            )
        self.record(
            ev.ReportFinalised(on=self.day(182), draft_sha256=draft), SECRETARIAT
        )
        summary = _sha(f"{self.review} summary")
        self.record(
            ev.ExecutiveSummaryPrepared(on=self.day(190), summary_sha256=summary),
            SECRETARIAT,
        )
        for state in states:
            self.record(
                ev.ExecutiveSummaryAgreed(
                    on=self.day(200), summary_sha256=summary, by=state
                ),
                state,
            )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_folder(data_dir: Path, *, force: bool) -> None:
    """Refuse a folder that holds anything, unless ``force``; with it, empty it.

    Raises:
        DemoRefused: the folder is not empty and ``force`` is false, or it is a file.
    """
    if data_dir.exists() and not data_dir.is_dir():
        msg = f"{data_dir} is a file, not a folder"
        raise DemoRefused(msg)
    if not data_dir.exists():
        data_dir.mkdir(parents=True)
        return
    entries = list(data_dir.iterdir())
    if entries and not force:
        msg = (
            f"{data_dir} is not empty; the demo starts from an empty data folder. "
            "Give another --data-dir, or --force to empty this one"
        )
        raise DemoRefused(msg)
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            _remove_tree(entry)
        else:
            entry.unlink()


def _remove_tree(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir() and not child.is_symlink():
            _remove_tree(child)
        else:
            child.unlink()
    path.rmdir()
