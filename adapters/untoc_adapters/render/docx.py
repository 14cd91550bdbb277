"""A worded report as a Word document (DOCX), laid out with python-docx.

:func:`render_docx` lays out a :class:`~untoc_adapters.render.plain.PlainDocument`
with Word's own styles, so that the document's outline, navigation pane and table
of contents work as in any document written in Word: the title is set in
``Title``, a heading of level N in ``Heading N``, a quotation in ``Quote``, a list
in ``List Bullet``, and a note in italics. A numbered paragraph starts with its
number (``11.``) in a hanging indent. The marking is printed in the page header,
so it is on every page; the date and the label of demonstration content, if any,
follow the title.

A document in a language written right to left (Arabic) is set right to left:
the section, every paragraph (``w:bidi``, which also puts it flush right and its
indents on the right) and every table (``w:bidiVisual``), and every run in such a
language (``w:rtl``); a run in a language written left to right, an English
quotation for instance, keeps its direction. Every run carries its language
(``w:lang``: ``w:eastAsia`` for Chinese, ``w:bidi`` for Arabic), so Word picks the
right fonts, spelling and line breaking.

The same document renders to the same bytes: the document properties carry fixed
dates and the archive fixed timestamps; nothing reads the clock.
"""

# ruff: noqa: SLF001 - python-docx has no API for w:bidi, w:lang or w:tblHeader: the
# XML elements behind its proxies (_p, _r, _tr, _sectPr) are where they are set

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Final

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run as _WordRun

from untoc_adapters.render.plain import (
    PlainDocument,
    PlainHeading,
    PlainItems,
    PlainParagraph,
    PlainTable,
    Run,
    Runs,
)
from untoc_core.reports.document import Style

__all__ = ["render_docx", "word_language_tag"]

FIXED_TIME: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The creation and modification time written in every document's properties."""

_ZIP_TIME: Final = (2000, 1, 1, 0, 0, 0)

RIGHT_TO_LEFT_LANGUAGES: Final = frozenset({"ar", "fa", "he", "ur"})
"""Languages written right to left (a run in one is flagged ``w:rtl``)."""

_WORD_TAGS: Final = {
    "ar": "ar-SA",
    "en": "en-GB",
    "es": "es-ES",
    "fr": "fr-FR",
    "ru": "ru-RU",
    "zh": "zh-CN",
}

_NUMBER_INDENT: Final = Cm(1.0)
_QUOTE_INDENT: Final = Cm(1.5)

# Child elements that follow w:bidi in w:pPr, w:rtl and w:lang in w:rPr, and
# w:bidi in w:sectPr (ECMA-376 Part 1, 17.3.1.26, 17.3.2.28 and 17.6.17).
_AFTER_P_BIDI: Final = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_RTL: Final = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish")
_AFTER_LANG: Final = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_SECT_BIDI: Final = ("w:rtlGutter", "w:docGrid", "w:printerSettings")


_PROPERTY_MAX = 255
_XML_SPACE: Final = qn("xml:space")
_BREAKS: Final = re.compile(r"([\t\r\n])")


def word_language_tag(language: str) -> str:
    """The language tag Word is given for a language (``ar`` -> ``ar-SA``).

    Args:
        language: A language code, as a :class:`~untoc_adapters.render.plain.Run`
            carries it.

    Returns:
        A tag with a region where Word expects one; other codes unchanged.
    """
    return _WORD_TAGS.get(language, language)


def _is_rtl(language: str) -> bool:
    return language.split("-", maxsplit=1)[0] in RIGHT_TO_LEFT_LANGUAGES


def _flag(parent: BaseOxmlElement, tag: str, successors: Iterable[str]) -> None:
    """Adds an on/off element (``<w:bidi/>``) to ``parent`` in schema order."""
    if parent.find(qn(tag)) is None:
        parent.insert_element_before(OxmlElement(tag), *successors)


def _set_language(rpr: BaseOxmlElement, language: str) -> None:
    """Writes ``w:lang`` for a run: the slot Word reads for the run's script."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    tag = word_language_tag(language)
    base = language.split("-", maxsplit=1)[0]
    if base == "zh":
        lang.set(qn("w:eastAsia"), tag)
    elif _is_rtl(base):
        lang.set(qn("w:bidi"), tag)
    else:
        lang.set(qn("w:val"), tag)


def _set_hint(rpr: BaseOxmlElement, language: str) -> None:
    """Tells Word which font slot characters shared between scripts take."""
    base = language.split("-", maxsplit=1)[0]
    if base == "zh":
        hint = "eastAsia"
    elif _is_rtl(base):
        hint = "cs"
    else:
        return
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:hint"), hint)


@functools.cache
def _run_properties(language: str, *, italic: bool) -> BaseOxmlElement:
    """The ``w:rPr`` of a run in ``language``, italic or not (copied for each run)."""
    run = _WordRun(OxmlElement("w:r"), None)  # type: ignore[arg-type]
    rpr = run._r.get_or_add_rPr()
    _set_hint(rpr, language)
    if italic:
        run.font.italic = True
        run.font.cs_italic = True
    if _is_rtl(language):
        _flag(rpr, "w:rtl", _AFTER_RTL)
    _set_language(rpr, language)
    return rpr


def _append_text(r: BaseOxmlElement, text: str) -> None:
    """Appends the content of a run's text to ``r``, as python-docx does."""
    if not text:
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            r.add_tab()
        elif piece in {"\r", "\n"}:
            r.add_br()
        elif piece:
            t = OxmlElement("w:t")
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")
            r.append(t)


class _Layout:
    """Lays out one document (holds its direction)."""

    def __init__(self, doc: PlainDocument) -> None:
        self.doc = doc
        self.rtl = doc.right_to_left
        self.word: WordDocument = docx.Document()
        self._style_ids: dict[str, str] = {}
        self._formats: dict[tuple[str | None, bool, bool], BaseOxmlElement | None] = {}
        body = self.word.element.body
        self._body_end: BaseOxmlElement | None = body.sectPr

    def paragraph_direction(self, paragraph: Paragraph) -> None:
        """Sets a paragraph of a right-to-left document right to left.

        Its alignment follows: a ``w:bidi`` paragraph starts at the right margin
        (Word reads ``w:jc`` left/right relative to that direction, so none is
        written for the natural alignment).
        """
        if self.rtl:
            _flag(paragraph._p.get_or_add_pPr(), "w:bidi", _AFTER_P_BIDI)

    def add_runs(
        self, paragraph: Paragraph, runs: Runs, *, italic: bool = False
    ) -> None:
        """Adds runs to a paragraph, each in its language and direction.

        A run's properties are copied from one made once per language (and
        italics); its text is a ``w:t`` (with ``w:tab`` and ``w:br`` for tabs and
        line breaks), as python-docx's ``Paragraph.add_run`` writes it.
        """
        p = paragraph._p
        for source in runs:
            r = OxmlElement("w:r")
            r.append(copy.deepcopy(_run_properties(source.language, italic=italic)))
            _append_text(r, source.text)
            p.append(r)

    def text_runs(self, text: str) -> Runs:
        """A text of the document's own (a number, the date) as runs."""
        return (Run(text=text, language=self.doc.language),) if text else ()

    def add_paragraph(self, style: str | None) -> Paragraph:
        """Adds an empty paragraph in a style, by its id (looked up once each)."""
        paragraph = self.word.add_paragraph()
        if style is not None:
            style_id = self._style_ids.get(style)
            if style_id is None:
                style_id = self.word.styles[style].style_id
                self._style_ids[style] = style_id
            paragraph._p.get_or_add_pPr().style = style_id
        return paragraph

    def formatted(
        self, style: str | None, *, numbered: bool = False, quote: bool = False
    ) -> Paragraph:
        """Adds an empty paragraph in a style, in the document's direction.

        A quotation is indented on both sides, a numbered paragraph has a hanging
        indent for its number. The paragraph properties (``w:pPr``) of the first
        paragraph of each kind are made with python-docx; the next paragraphs of
        that kind get a copy of them.
        """
        key = (style, numbered, quote)
        if key in self._formats:
            p = OxmlElement("w:p")
            ppr = self._formats[key]
            if ppr is not None:
                p.append(copy.deepcopy(ppr))
            if self._body_end is not None:
                self._body_end.addprevious(p)
            else:
                self.word.element.body.append(p)
            return Paragraph(p, self.word._body)
        paragraph = self.add_paragraph(style)
        self.paragraph_direction(paragraph)
        fmt = paragraph.paragraph_format
        if quote:
            # Quote's own indents are replaced by a plain block indent on both sides.
            fmt.left_indent = _QUOTE_INDENT
            fmt.right_indent = _QUOTE_INDENT
        if numbered:
            start = fmt.left_indent or Cm(0)
            fmt.left_indent = Cm(start.cm + _NUMBER_INDENT.cm)
            fmt.first_line_indent = -_NUMBER_INDENT
            fmt.tab_stops.add_tab_stop(fmt.left_indent)
        ppr = paragraph._p.pPr
        self._formats[key] = None if ppr is None else copy.deepcopy(ppr)
        return paragraph

    def paragraph(self, runs: Runs, style: str | None = None) -> Paragraph:
        """Adds a paragraph in a style."""
        paragraph = self.formatted(style)
        self.add_runs(paragraph, runs)
        return paragraph

    def numbered(self, block: PlainParagraph) -> None:
        """Adds a paragraph of the document's text, with its number if it has one."""
        quote = block.style is Style.QUOTE
        paragraph = self.formatted(
            "Quote" if quote else None, numbered=block.number is not None, quote=quote
        )
        if block.number is not None:
            self.add_runs(paragraph, self.text_runs(f"{block.number}.\t"))
        self.add_runs(paragraph, block.runs, italic=block.style is Style.NOTE)

    def items(self, block: PlainItems) -> None:
        """Adds a bulleted list."""
        for item in block.items:
            self.paragraph(item, "List Bullet")

    def table(self, block: PlainTable) -> None:
        """Adds a table whose first row is its header (repeated on every page)."""
        columns = max(len(block.header), *(len(r) for r in block.rows), 1)
        table = self.word.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = self.word.styles["Table Grid"]
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        header = table.rows[0]
        header_props = header._tr.get_or_add_trPr()
        header_props.append(OxmlElement("w:tblHeader"))
        for row, cells in zip(table.rows, (block.header, *block.rows), strict=True):
            for cell, runs in zip(row.cells, cells, strict=False):
                self.cell(cell, runs, bold=row is header)

    def cell(self, cell: _Cell, runs: Runs, *, bold: bool) -> None:
        """Fills a table cell."""
        paragraph = cell.paragraphs[0]
        self.paragraph_direction(paragraph)
        self.add_runs(paragraph, runs)
        if bold:
            for run in paragraph.runs:
                run.font.bold = True
                run.font.cs_bold = True

    def header(self) -> None:
        """Prints the marking at the top of every page."""
        section = self.word.sections[0]
        section.page_width = Cm(21.0)
        section.page_height = Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        section.top_margin = Cm(2.5)
        section.bottom_margin = Cm(2.5)
        if self.rtl:
            _flag(section._sectPr, "w:bidi", _AFTER_SECT_BIDI)
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        self.paragraph_direction(paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.add_runs(paragraph, self.text_runs(self.doc.marking))
        for run in paragraph.runs:
            run.font.bold = True
            run.font.cs_bold = True
            run.font.size = Pt(9)

    def properties(self) -> None:
        """Writes the document properties, with fixed dates."""
        props = self.word.core_properties
        title = "".join(r.text for r in self.doc.title)
        if len(title) > _PROPERTY_MAX:  # Word's core properties hold 255 characters
            title = title[: _PROPERTY_MAX - 1] + "…"
        props.title = title
        props.language = word_language_tag(self.doc.language)
        props.subject = self.doc.kind
        props.author = "UNTOC"
        props.last_modified_by = "UNTOC"
        props.comments = ""
        props.keywords = ""
        props.revision = 1
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
        props.last_printed = FIXED_TIME

    def defaults(self) -> None:
        """Sets the language of the document's default style."""
        normal = self.word.styles["Normal"].element
        rpr = normal.get_or_add_rPr()
        _set_language(rpr, self.doc.language)

    def lay_out(self) -> WordDocument:
        """Lays out the whole document."""
        self.header()
        self.defaults()
        self.properties()
        self.paragraph(self.doc.title, "Title")
        for line in (self.doc.dated, self.doc.synthetic):
            if line:
                self.paragraph(self.text_runs(line))
        for block in self.doc.blocks:
            match block:
                case PlainHeading():
                    level = min(max(block.level, 1), 9)
                    self.paragraph(block.runs, f"Heading {level}")
                case PlainParagraph():
                    self.numbered(block)
                case PlainItems():
                    self.items(block)
                case PlainTable():
                    self.table(block)
        return self.word


def _fixed_archive(data: bytes) -> bytes:
    """The same archive with fixed timestamps (so equal documents are equal bytes).

    Written again from python-docx's own ``save`` rather than through its
    private package writer, so an update of python-docx cannot break it.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def render_docx(doc: PlainDocument) -> bytes:
    """Lays out a worded document as a Word document.

    Args:
        doc: The document, worded in its language.

    Returns:
        The bytes of a ``.docx`` file; the same document always gives the same
        bytes.
    """
    word = _Layout(doc).lay_out()
    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_archive(buffer.getvalue())
