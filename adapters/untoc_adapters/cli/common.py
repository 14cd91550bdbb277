"""What every command shares: settings from the context, errors, JSON and parsing."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from untoc_adapters.bootstrap import open_mechanism, open_vault
from untoc_adapters.settings import Settings
from untoc_adapters.vault import Vault
from untoc_core.errors import UntocError
from untoc_core.mechanism import Mechanism
from untoc_core.terms import Instrument, RegionalGroup, TreatyStatus

# soft_wrap: a long line (a path, an id) stays one line when the output is piped,
# instead of being hard-wrapped at 80 columns. Tables still fit the width.
N = TypeVar("N")

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

GROUP_NAMES = {
    "african": RegionalGroup.AFRICAN,
    "asia-pacific": RegionalGroup.ASIA_PACIFIC,
    "eastern-european": RegionalGroup.EASTERN_EUROPEAN,
    "grulac": RegionalGroup.GRULAC,
    "weog": RegionalGroup.WEOG,
}

STATUS_NAMES = {
    "party": TreatyStatus.PARTY,
    "signatory": TreatyStatus.SIGNATORY,
    "none": TreatyStatus.NONE,
    "non-party": TreatyStatus.NONE,  # as written in the registry CSV
}

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the global options resolved (see ``main.callback``)."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):  # pragma: no cover - set by the callback
        msg = "settings were not resolved"
        raise TypeError(msg)
    return settings


@contextmanager
def mechanism(ctx: typer.Context) -> Iterator[Mechanism]:
    """Open the mechanism on the configured store, report refusals, close the store.

    A refusal or bad input prints its message on stderr and exits with code 1.
    """
    with refusals():
        mech = open_mechanism(settings_of(ctx))
        try:
            yield mech
        finally:
            mech.store.close()


@contextmanager
def vault(ctx: typer.Context) -> Iterator[Vault]:
    """Open the vault on the configured store, report refusals, close the store.

    A refusal, bad input or ``AccessDenied`` prints its message on stderr and exits
    with code 1.
    """
    with refusals():
        opened = open_vault(settings_of(ctx))
        try:
            yield opened
        finally:
            opened.mechanism.store.close()


AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="PRINCIPAL",
        help="Act as this principal, whose keys this installation holds "
        "(default: UNTOC_PRINCIPAL, untoc.toml, or 'secretariat').",
    ),
]


def acting(ctx: typer.Context, as_: str | None) -> str:
    """The principal a command acts as: ``--as``, else ``settings.principal``."""
    return as_ or settings_of(ctx).principal


@contextmanager
def refusals() -> Iterator[None]:
    """Turn an ``UntocError`` into a message on stderr and exit code 1."""
    try:
        yield
    except UntocError as exc:
        fail(str(exc))


def fail(message: str) -> NoReturn:
    """Print ``message`` on stderr and exit with code 1."""
    err_console.print(
        f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True
    )
    raise typer.Exit(1)


def safe(value: object) -> str:
    """``value`` as text that Rich prints as it is, never as markup."""
    return escape(str(value))


def _check_out(value: Path | None) -> Path | None:
    """Refuse an ``--out`` path that cannot be written, before anything is done."""
    if value is None:
        return None
    if value.is_dir():
        msg = f"{str(value)!r} is a folder; give a file name"
        raise typer.BadParameter(msg, param_hint="--out")
    folder = value.parent
    if not folder.is_dir():
        msg = f"{str(value)!r}: the folder {str(folder)!r} does not exist"
        raise typer.BadParameter(msg, param_hint="--out")
    return value


JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout.")
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="FILE",
        help="Write the JSON document to FILE (UTF-8) instead of stdout; "
        "implies --json.",
        callback=_check_out,
    ),
]


def print_json(document: Any, out: Path | None = None) -> None:
    """Print one JSON document on stdout and nothing else, or write it to ``out``.

    With ``out``, the document goes to that file (UTF-8) and a one-line confirmation
    goes to stderr, so stdout stays empty. A file that cannot be written exits with
    code 1.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    if out is None:
        typer.echo(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    err_console.print(f"JSON written to {out}", markup=False, highlight=False)


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file, or print why it cannot be read and exit with code 1."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a folder, not a file")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded)")
    except OSError as exc:
        fail(f"{path}: cannot be read: {exc.strerror or exc}")


def parse_date(value: str, option: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` or stop with a usage error (exit code 2)."""
    if not _ISO_DATE.fullmatch(value):
        msg = f"{value!r} is not a date of the form YYYY-MM-DD"
        raise typer.BadParameter(msg, param_hint=option)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        msg = f"the date {value!r} does not exist ({exc})"
        raise typer.BadParameter(msg, param_hint=option) from None


def parse_group(value: str | None) -> RegionalGroup | None:
    """Parse a regional group name or stop with a usage error."""
    return _parse_name(value, GROUP_NAMES, "a regional group", "--group")


def parse_status(value: str | None) -> TreatyStatus | None:
    """Parse a treaty status (``none`` or ``non-party`` for neither) or stop."""
    return _parse_name(value, STATUS_NAMES, "a status", "--status")


def _parse_name(
    value: str | None, names: Mapping[str, N], what: str, option: str
) -> N | None:
    """Look ``value`` up (ignoring case) or stop with a usage error listing names."""
    if value is None:
        return None
    found = names.get(value.casefold())
    if found is None:
        msg = f"{value!r} is not {what}; use one of {', '.join(names)}"
        raise typer.BadParameter(msg, param_hint=option)
    return found


def parse_instrument(value: str, option: str = "--instrument") -> Instrument:
    """Parse an instrument name or stop with a usage error."""
    try:
        return Instrument(value.upper())
    except ValueError:
        known = ", ".join(i.value for i in Instrument)
        msg = f"{value!r} is not an instrument; use one of {known}"
        raise typer.BadParameter(msg, param_hint=option) from None
