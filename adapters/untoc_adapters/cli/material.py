"""``untoc material``: file, read and list sealed review material (ToR 30, 36).

Every command but ``published`` acts as a named principal, given by ``--as`` and
by default ``UNTOC_PRINCIPAL`` (``secretariat``), whose private keys this
installation holds. Every filing, read and listing is decided and logged first;
a refusal prints only the one generic message of ``AccessDenied`` and exits with
code 1, and no content is ever printed with it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.cli.common import (
    AsOption,
    JsonOption,
    OutOption,
    acting,
    console,
    err_console,
    fail,
    print_json,
    safe,
    vault,
)
from untoc_core.confidentiality import Scope
from untoc_core.confidentiality.keys import Filed, MaterialFiled

app = typer.Typer(
    help="File, read and list sealed review material (ToR 30, 36).",
    no_args_is_help=True,
)

ReviewArgument = Annotated[
    str,
    typer.Argument(
        metavar="REVIEW",
        help="The review id, cycle-<n>/<CODE> (for example cycle-1/ARC).",
    ),
]
ScopeArgument = Annotated[
    Scope,
    typer.Argument(
        metavar="SCOPE",
        help="The key scope: dossier, final (the final report) or summary "
        "(the executive summary).",
    ),
]
SectionArgument = Annotated[
    str,
    typer.Argument(
        metavar="SECTION",
        help="The document or section id: letters, digits and ._:- only.",
    ),
]


def check_content_out(value: Path | None) -> Path | None:
    """Refuse an ``--out`` path that cannot be written, before anything is done."""
    if value is None:
        return None
    if value.is_dir():
        msg = f"{str(value)!r} is a folder; give a file name"
        raise typer.BadParameter(msg, param_hint="--out")
    if not value.parent.is_dir():
        msg = f"{str(value)!r}: the folder {str(value.parent)!r} does not exist"
        raise typer.BadParameter(msg, param_hint="--out")
    return value


ContentOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="FILE",
        help="Write the content to FILE (created with mode 0600) instead of stdout.",
        callback=check_content_out,
    ),
]


def read_input(source: Path) -> bytes:
    """The bytes of ``source``, or of standard input when it is ``-``.

    A file that cannot be read prints why on stderr and exits with code 1.
    """
    if str(source) == "-":
        return sys.stdin.buffer.read()
    try:
        return source.read_bytes()
    except FileNotFoundError:
        fail(f"{source}: no such file")
    except IsADirectoryError:
        fail(f"{source}: is a folder, not a file")
    except OSError as exc:
        fail(f"{source}: cannot be read: {exc.strerror or exc}")


def write_content(content: bytes, out: Path | None) -> None:
    """Write ``content`` to ``out`` (mode 0600), or as raw bytes to stdout.

    With ``out``, a one-line confirmation goes to stderr. A file that cannot be
    written exits with code 1.
    """
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(content)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    err_console.print(
        f"{len(content)} bytes written to {out}", markup=False, highlight=False
    )


def filed_json(item: Filed) -> dict[str, object]:
    """A filing as plain JSON: where it sits and its size, never its content."""
    event = item.event
    return {
        "scope": event.scope.value,
        "section": event.section,
        "version": item.version,
        "epoch": event.epoch,
        "filed_by": event.filed_by,
        "size": _size(item),
        "in_blob_store": bool(event.blob_sha256),
        "purged": item.purged,
    }


def _size(item: Filed) -> int:
    """The size in bytes of the sealed value (in the event or in its blob)."""
    event = item.event
    return event.blob_size if event.blob_sha256 else len(event.sealed)


@app.command("file")
def file_material(
    ctx: typer.Context,
    review: ReviewArgument,
    scope: ScopeArgument,
    section: SectionArgument,
    source: Annotated[
        Path,
        typer.Option(
            "--from",
            metavar="FILE",
            help="The file whose bytes are filed; '-' reads standard input.",
        ),
    ],
    as_: AsOption = None,
) -> None:
    """File material in a scope of a review, sealed for its current epoch.

    Prints the version filed and whether the sealed value went to the blob store;
    never the content.
    """
    principal = acting(ctx, as_)
    content = read_input(source)
    with vault(ctx) as opened:
        recorded = opened.file(principal, review, scope, section, content)
    event = recorded.event
    if not isinstance(event, MaterialFiled):  # pragma: no cover - file records it
        fail(f"unexpected event recorded: {event.TYPE}")
    where = "the blob store" if event.blob_sha256 else "the event store (in its event)"
    console.print(
        f"Filed {safe(section)} in the {scope.value} of {safe(review)} as "
        f"{safe(principal)}: version {recorded.version}, epoch {event.epoch}, "
        f"{len(content)} bytes, sealed in {where}."
    )


@app.command("read")
def read_material(
    ctx: typer.Context,
    review: ReviewArgument,
    scope: ScopeArgument,
    section: SectionArgument,
    as_: AsOption = None,
    out: ContentOutOption = None,
) -> None:
    """Read the latest filing of a section as a principal: its raw bytes.

    The read is decided and logged first; a refusal writes nothing.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        content = opened.read(principal, review, scope, section)
    write_content(content, out)


@app.command("published")
def read_published(
    ctx: typer.Context,
    review: ReviewArgument,
    section: SectionArgument,
    out: ContentOutOption = None,
) -> None:
    """Read a section of a final report its party under review published (ToR 36).

    Anyone may read it; the read is logged as by the principal ``public``.
    """
    with vault(ctx) as opened:
        content = opened.read_published(review, section)
    write_content(content, out)


@app.command("list")
def list_material(
    ctx: typer.Context,
    review: ReviewArgument,
    as_: AsOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """List what is filed for a review, per scope: versions, epochs, who, sizes.

    Only a principal that may read the review's dossier sees the list; the
    decision is logged first.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        opened.mechanism.decide_access(principal, review, Scope.DOSSIER)
        material = opened.mechanism.review_material(review)
    filed = sorted(
        material.filed,
        key=lambda f: (list(Scope).index(f.event.scope), f.version),
    )
    if as_json or out:
        print_json(
            {"review": review, "filed": [filed_json(item) for item in filed]}, out
        )
        return
    table = Table(title=f"Material of {safe(review)}: {len(filed)} filings")
    for column in (
        "Scope",
        "Section",
        "Version",
        "Epoch",
        "Filed by",
        "Size",
        "Kept in",
    ):
        table.add_column(column)
    for item in filed:
        event = item.event
        kept = "blob store" if event.blob_sha256 else "event"
        table.add_row(
            event.scope.value,
            safe(event.section),
            str(item.version),
            str(event.epoch),
            safe(event.filed_by),
            str(_size(item)),
            f"{kept} (purged)" if item.purged else kept,
        )
    console.print(table)
