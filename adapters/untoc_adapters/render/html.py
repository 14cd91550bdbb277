"""A worded report as an HTML5 page, laid out with a Jinja2 template.

:func:`render_html` fills ``templates/report.html.j2`` (with ``report.css``
inlined, so the page needs nothing else): the page carries the document's
language and direction (``<html lang="ar" dir="rtl">``), the title is the
``h1``, a heading of level N an ``h(N+1)``, a quotation a ``blockquote``, a list a
``ul`` and a table a ``table`` with a ``thead``. A run of text in another language
than the document's is a ``<span lang=".." dir="auto">``, so that a browser, a
screen reader or WeasyPrint sets it in its own script and direction. The marking
heads the page on screen and runs at the top of every printed page.

Every text is escaped by the template engine (autoescaping); no markup is ever
built from content by hand.
"""

from __future__ import annotations

import functools

import jinja2

from untoc_adapters.render.plain import (
    PlainBlock,
    PlainDocument,
    PlainHeading,
    PlainItems,
    PlainParagraph,
    PlainTable,
)
from untoc_core.reports.document import Style

__all__ = ["page", "render_html"]

FSI = "\u2068"
"""FIRST STRONG ISOLATE: text after it takes the direction of its first letter."""
PDI = "\u2069"
"""POP DIRECTIONAL ISOLATE: ends an isolate."""

TEMPLATE = "report.html.j2"
"""The page's template, in the package's ``render/templates``."""


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("untoc_adapters", "render/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _kind(block: PlainBlock) -> str:
    match block:
        case PlainHeading():
            return "heading"
        case PlainParagraph() if block.style is Style.QUOTE:
            return "quote"
        case PlainParagraph():
            return "paragraph"
        case PlainItems():
            return "items"
        case PlainTable():
            return "table"


def render_html(doc: PlainDocument) -> str:
    """Lays out a worded document as a whole HTML5 page.

    Args:
        doc: The document, worded in its language.

    Returns:
        The page (to be stored or served as UTF-8); it fetches nothing.
    """
    return page(doc, isolate=False)


def page(doc: PlainDocument, *, isolate: bool) -> str:
    """The HTML page of a document, for a browser or for printing.

    Args:
        doc: The document, worded in its language.
        isolate: Whether to also wrap the text of every run in another language
            in Unicode's first-strong isolate (U+2068 ... U+2069), which is what
            ``dir="auto"`` means. Browsers isolate such a span themselves;
            WeasyPrint does not, and would otherwise set the neutral characters
            at its ends (the final full stop of an English quotation in an Arabic
            report) on the wrong side.

    Returns:
        The page.
    """
    template = _environment().get_template(TEMPLATE)
    return template.render(
        doc=doc,
        title="".join(r.text for r in doc.title),
        blocks=[(_kind(block), block) for block in doc.blocks],
        isolate=(FSI, PDI) if isolate else ("", ""),
    )
