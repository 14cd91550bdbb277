"""A document worded in its language: what every renderer (DOCX, HTML, PDF) takes.

:func:`untoc_adapters.render.messages.word` turns a core
:class:`~untoc_core.reports.document.Document` into a :class:`PlainDocument`:
every message worded from the catalog of the document's language, every date
formatted for its locale, and every piece of content kept in the language it is
written in (a :class:`Run` carries it), with a marker after content held in
another language. Renderers only lay it out.
"""

from __future__ import annotations

import attrs

from untoc_core.reports.document import Style


@attrs.frozen(kw_only=True)
class Run:
    """Text in one language (set right to left when that language is)."""

    text: str
    language: str


Runs = tuple[Run, ...]


@attrs.frozen(kw_only=True)
class PlainHeading:
    """A heading of ``level`` 1 (section), 2 or 3."""

    level: int
    runs: Runs


@attrs.frozen(kw_only=True)
class PlainParagraph:
    """A paragraph, with the blueprint's paragraph number if it has one."""

    runs: Runs
    number: int | None = None
    style: Style = Style.BODY


@attrs.frozen(kw_only=True)
class PlainItems:
    """A bulleted list."""

    items: tuple[Runs, ...]


@attrs.frozen(kw_only=True)
class PlainTable:
    """A table: a header row, then rows of cells."""

    header: tuple[Runs, ...]
    rows: tuple[tuple[Runs, ...], ...]


PlainBlock = PlainHeading | PlainParagraph | PlainItems | PlainTable


@attrs.frozen(kw_only=True)
class PlainDocument:
    """A document worded in one language, ready to lay out.

    Attributes:
        kind: The kind of document (``country-report`` ...).
        language: Its language.
        right_to_left: Whether its language is written right to left.
        title: Its title.
        marking: Who may read it, worded (printed at the top of every page).
        dated: The day it was produced, worded.
        synthetic: The label of demonstration content, or ``""``.
        blocks: Its content.
    """

    kind: str
    language: str
    right_to_left: bool
    title: Runs
    marking: str
    dated: str
    synthetic: str
    blocks: tuple[PlainBlock, ...]

    def text(self) -> str:
        """All its text, block by block, one line each (for searching it)."""
        lines = ["".join(r.text for r in self.title), self.marking, self.dated]
        for block in self.blocks:
            match block:
                case PlainHeading() | PlainParagraph():
                    lines.append("".join(r.text for r in block.runs))
                case PlainItems():
                    lines.extend("".join(r.text for r in item) for item in block.items)
                case PlainTable():
                    lines.extend(
                        " | ".join("".join(r.text for r in c) for c in row)
                        for row in (block.header, *block.rows)
                    )
        return "\n".join(lines)
