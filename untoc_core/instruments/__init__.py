"""The Convention and its Protocols: article numbers, titles and English texts.

The texts ship as package data (``data/articles.csv``; provenance in the docs'
reference data page). They are English only and not an official source.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re

import attrs

from untoc_core.terms import Instrument

_REF = re.compile(
    r"^\s*(UNTOC|TIP|SOM|FIREARMS)\s+(?:art(?:icle)?\.?\s*)?(\d+)\s*$", re.IGNORECASE
)


_ORDER = {instrument: i for i, instrument in enumerate(Instrument)}


@attrs.frozen(kw_only=True, order=True)
class ArticleRef:
    """An article of one instrument, written ``"UNTOC 5"`` or ``"TIP 6"``."""

    instrument: Instrument = attrs.field(order=lambda i: _ORDER[i])
    """Sorted Convention first, then the Protocols in the order they were adopted."""
    number: int

    @classmethod
    def parse(cls, text: str) -> ArticleRef:
        """Parse ``"UNTOC 5"``; raise ``ValueError`` on anything else."""
        m = _REF.match(text)
        if not m:
            msg = f"{text!r} is not an article reference such as 'UNTOC 5' or 'TIP 6'"
            raise ValueError(msg)
        return cls(instrument=Instrument(m.group(1).upper()), number=int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.instrument} {self.number}"


@attrs.frozen(kw_only=True)
class Article:
    """An article with its title and English text."""

    ref: ArticleRef
    title: str
    text: str


@attrs.frozen(kw_only=True)
class ArticleCatalogue:
    """Every article of the four instruments."""

    articles: dict[ArticleRef, Article]

    def __contains__(self, ref: object) -> bool:
        return ref in self.articles

    def get(self, ref: ArticleRef) -> Article:
        """The article; ``KeyError`` if the instrument has no such article."""
        return self.articles[ref]

    def of(self, instrument: Instrument) -> list[Article]:
        """The articles of one instrument, in order."""
        return sorted(
            (a for r, a in self.articles.items() if r.instrument is instrument),
            key=lambda a: a.ref.number,
        )


@functools.cache
def article_catalogue() -> ArticleCatalogue:
    """The catalogue shipped with the package (preambles are left out)."""
    text = (
        importlib.resources.files("untoc_core.instruments")
        .joinpath("data/articles.csv")
        .read_text(encoding="utf-8")
    )
    articles: dict[ArticleRef, Article] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if not row["article"].isdigit():
            continue
        ref = ArticleRef(
            instrument=Instrument(row["instrument"].upper()), number=int(row["article"])
        )
        articles[ref] = Article(ref=ref, title=row["title"], text=row["text_en"])
    return ArticleCatalogue(articles=articles)
