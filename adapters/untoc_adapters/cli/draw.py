"""``untoc draw``: the drawing of lots, recorded or simulated.

The recorded draws (``years``, ``reviewers``, ``redraw``, ``defer`` ...; see
:mod:`untoc_adapters.cli.draw_records`) run on the seed their ceremony fixed
(:mod:`untoc_adapters.cli.draw_ceremony`). ``simulate`` and ``verify`` touch neither
the store nor the data folder: ``simulate`` draws in memory and writes one JSON file
(format ``untoc-draw/1``, see :mod:`untoc_adapters.drawfile`), and ``verify`` replays
such a file from its own seed and inputs.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from untoc_adapters.cli import draw_ceremony, draw_records
from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    err_console,
    fail,
    read_text_file,
    refusals,
    safe,
)
from untoc_adapters.clock import SystemClock
from untoc_adapters.drawfile import (
    MAX_YEARS,
    dumps_document,
    load_document,
    parse_seed,
    simulate_document,
    verify_document,
)
from untoc_adapters.storage.memory import open_memory_store
from untoc_core.drawing.pool import DrawParty, pool_from_registry
from untoc_core.drawing.pool_csv import parse_pool_csv
from untoc_core.errors import InvalidInput
from untoc_core.mechanism import Mechanism
from untoc_core.registry import reference_snapshot

app = typer.Typer(
    help=(
        "The drawing of lots: its seed ceremony, the recorded draws of review years "
        "and reviewers with their redraws and deferrals, and whole cycles simulated "
        "and verified."
    ),
    no_args_is_help=True,
)
app.add_typer(draw_ceremony.app)
app.add_typer(draw_records.app)


def _seed(value: str) -> str:
    """Check ``--seed`` before anything is drawn (a usage error if it is bad)."""
    try:
        parse_seed(value)
    except InvalidInput as exc:
        raise typer.BadParameter(str(exc), param_hint="--seed") from None
    return value


def shipped_pool() -> tuple[DrawParty, ...]:
    """The States parties of the shipped reference snapshot, in code order.

    The snapshot is loaded into a store in memory, so no data folder is needed.
    Signatories are left out: they take part only if they volunteer (ToR 57).
    """
    mech = Mechanism(open_memory_store(), SystemClock())
    try:
        mech.load_reference_snapshot()
        return pool_from_registry(mech.registry())
    finally:
        mech.store.close()


def _warn_stale() -> None:
    """Warn that the shipped snapshot has stale blocks, naming their as-of dates."""
    stale = reference_snapshot().stale_blocks
    if not stale:
        return
    blocks = "; ".join(f"{b.name} (as of {b.as_of})" for b in stale)
    err_console.print(
        f"[yellow]warning:[/] the shipped registry snapshot is out of date in parts: "
        f"{safe(blocks)}. The draw shows the method; it is not a draw of the "
        "current States parties.",
        highlight=False,
    )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all.

    The text goes to a temporary file in the same folder, which then replaces
    ``path`` in one step; if anything fails, the temporary file is removed and
    ``path`` is left as it was.
    """
    # os.open with mode 0o666 lets the umask set the file's permissions, as for any
    # file the user creates (a NamedTemporaryFile would leave it private).
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _summary(document: dict[str, Any]) -> str:
    reviews = document["reviews"]
    lots = len(document["transcript"])
    return (
        f"{len(reviews)} States reviewed over {document['years']} year(s), "
        f"{2 * len(reviews)} reviewers drawn, {lots} lots in the transcript"
    )


@app.command("simulate")
def simulate(
    seed: Annotated[
        str,
        typer.Option(
            "--seed",
            metavar="HEX",
            help="The seed, in hex: at least 16 bytes (32 hex digits).",
            callback=_seed,
        ),
    ],
    years: Annotated[
        int,
        typer.Option(
            "--years",
            metavar="N",
            min=1,
            max=MAX_YEARS,
            help=f"Years in the cycle (1 to {MAX_YEARS}).",
        ),
    ],
    parties: Annotated[
        Path | None,
        typer.Option(
            "--parties",
            metavar="FILE.csv",
            help="The pool: columns code, regional_group, legal_traditions, "
            "protocols, status. Default: the States parties of the shipped registry "
            "snapshot.",
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Draw a whole cycle in memory (review years, then reviewers) as a draw file.

    No deferral or redraw; nothing is recorded and no data folder is needed. Prints
    the reviews; with --json the draw file (format untoc-draw/1), and with --out
    FILE writes it to FILE.
    """
    pool: Sequence[DrawParty]
    if parties is not None:
        text = read_text_file(parties)
        with refusals():
            pool = parse_pool_csv(text, source=str(parties))
    else:
        with refusals():
            pool = shipped_pool()
        _warn_stale()
    with refusals():
        document = simulate_document(pool, seed=parse_seed(seed), years=years)
    text = dumps_document(document)
    if out is not None:
        try:
            write_atomically(out, text)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        err_console.print(f"JSON written to {out}", markup=False, highlight=False)
    elif as_json:
        typer.echo(text, nl=False)
    else:
        _print_reviews(document)


def _print_reviews(document: dict[str, Any]) -> None:
    """The reviews of a draw file as a table, year by year in draw order."""
    table = Table(title=f"Simulated draw: {_summary(document)}")
    for column in ("Year", "Under review", "Reviewers", "Same region"):
        table.add_column(column)
    for review in document["reviews"]:
        same = review["same_region_reviewer"]
        table.add_row(
            str(review["year"]),
            safe(review["under_review"]),
            safe(", ".join(review["reviewers"])),
            safe(same) if same else "-",
        )
    console.print(table)
    console.print(
        f"Seed {safe(document['seed'])}; inputs_sha256 "
        f"{safe(document['inputs_sha256'])}. Use --out FILE to keep the draw file."
    )


@app.command("verify")
def verify(
    file: Annotated[
        Path, typer.Argument(metavar="FILE.json", help="A draw file to check.")
    ],
) -> None:
    """Replay a draw file from its seed and inputs; exit 1 at the first mismatch."""
    text = read_text_file(file)
    with refusals():
        document = load_document(text, source=str(file))
        mismatch = verify_document(document)
    if mismatch is not None:
        fail(f"{file}: does not verify; first mismatch at {mismatch}")
    typer.echo(
        f"{file}: verified; the replay from the seed gives every field: "
        f"{_summary(document)}"
    )
