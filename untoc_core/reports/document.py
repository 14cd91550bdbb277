"""A document as the core builds it: structure and words, before any language or format.

Reports are built in the core as a tree of blocks whose fixed words are message
ids (:class:`Msg`) and whose recorded content is text in a known language
(:class:`Content`). An adapter then words the messages in the document's language
(message catalogs), formats dates for its locale, marks content held in another
language, and renders DOCX, HTML or PDF. The core thus never formats a date nor
holds a translation, and a renderer never decides what a report says.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs


@attrs.frozen(kw_only=True)
class Msg:
    """A fixed text of the mechanism: a message id and the values it names.

    Attributes:
        id: The message id, a key of :data:`untoc_core.reports.messages.MESSAGES`.
        params: The values of its ``{placeholders}``: text, numbers, dates (worded
            per locale) or other messages and content.
    """

    id: str
    params: Mapping[str, object] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Content:
    """Recorded text in the language it is held in (an article, a finding ...).

    Attributes:
        text: The text.
        language: The language it is written in; when it is not the document's,
            the rendering marks it as such, never replaces it silently.
    """

    text: str
    language: str


Text = Msg | Content | str
"""A piece of text: a message, content in a language, or a proper name or code."""


class Style(enum.StrEnum):
    """How a paragraph is set."""

    BODY = "body"
    QUOTE = "quote"
    """Block-indented, as the text of an article."""
    NOTE = "note"
    """A remark of the mechanism (``no information recorded``)."""


@attrs.frozen(kw_only=True)
class Heading:
    """A heading; ``level`` 1 is a section (``I. Introduction``), 2 and 3 below it."""

    level: int
    text: tuple[Text, ...]


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph, numbered as the blueprint numbers them when ``number`` is set."""

    text: tuple[Text, ...]
    number: int | None = None
    style: Style = Style.BODY


@attrs.frozen(kw_only=True)
class Items:
    """A list of items, each one or more pieces of text."""

    items: tuple[tuple[Text, ...], ...]


@attrs.frozen(kw_only=True)
class Table:
    """A table with a header row."""

    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]


Block = Heading | Paragraph | Items | Table


class Marking(enum.StrEnum):
    """Who may read a document (printed on it)."""

    CONFIDENTIAL = "confidential"
    """A country review report (ToR 36)."""
    INFORMATION = "information"
    """Published for information only (ToR 35)."""
    RESTRICTED = "restricted"
    """For the mechanism's bodies only."""


@attrs.frozen(kw_only=True)
class Document:
    """A report: its kind, title, marking and blocks, in one language.

    Attributes:
        kind: ``country-report``, ``executive-summary``, ``thematic-report``,
            ``expert-group-report`` or ``performance-report``.
        language: The language it is to be worded in.
        title: Its title.
        marking: Who may read it.
        blocks: Its content, in order.
        dated: The day it was produced (worded per locale).
        synthetic: True for demonstration content, which the rendering labels.
    """

    kind: str
    language: str
    title: tuple[Text, ...]
    marking: Marking
    blocks: tuple[Block, ...]
    dated: dt.date
    synthetic: bool = False

    def headings(self) -> tuple[Heading, ...]:
        """Every heading, in order."""
        return tuple(b for b in self.blocks if isinstance(b, Heading))
