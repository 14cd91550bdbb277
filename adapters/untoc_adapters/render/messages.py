"""Wording a core document in one of the six UN languages.

The fixed words of the reports are in English in
:data:`untoc_core.reports.messages.MESSAGES`; the five other languages are in
gettext catalogs (``untoc_core/reports/locale/<lang>.po``: ``msgctxt`` the message
id, ``msgid`` the English text, ``msgstr`` the translation), read at run time with
Babel. :func:`word` turns a core :class:`~untoc_core.reports.document.Document`
into a :class:`~untoc_adapters.render.plain.PlainDocument`: messages worded,
dates formatted for the locale, content kept in its own language and marked when
it is not the document's.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Iterable, Mapping
from importlib import resources

import attrs
from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po

from untoc_adapters.render.plain import (
    PlainBlock,
    PlainDocument,
    PlainHeading,
    PlainItems,
    PlainParagraph,
    PlainTable,
    Run,
    Runs,
)
from untoc_core.errors import InvalidInput
from untoc_core.reports.document import (
    Block,
    Content,
    Document,
    Heading,
    Items,
    Msg,
    Paragraph,
    Table,
    Text,
)
from untoc_core.reports.messages import MESSAGES

LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
"""The six official languages of the United Nations, by ISO 639-1 code."""

BABEL_LOCALES: Mapping[str, str] = {
    "ar": "ar",
    "zh": "zh_Hans",
    "en": "en_GB",  # United Nations English: 1 January 2026
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}
"""The Babel locale that formats dates in each language."""

_FORMATTER = string.Formatter()


def placeholders(template: str) -> frozenset[str]:
    """The names of the ``{placeholders}`` of a message.

    Args:
        template: A message text.

    Returns:
        The placeholder names it contains.
    """
    return frozenset(name for _, name, _, _ in _FORMATTER.parse(template) if name)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(
            f"{language!r} is not one of the six UN languages ({', '.join(LANGUAGES)})"
        )


@attrs.frozen(kw_only=True)
class Catalog:
    """The messages of one language.

    Attributes:
        language: Its language code (``ar``, ``zh``, ``en``, ``fr``, ``ru``, ``es``).
        messages: The wording of every message id in that language.
    """

    language: str
    messages: Mapping[str, str]

    def template(self, message_id: str) -> str:
        """The wording of a message, its placeholders unfilled.

        Args:
            message_id: A key of :data:`~untoc_core.reports.messages.MESSAGES`.

        Returns:
            The message in this catalog's language.

        Raises:
            InvalidInput: The message id is unknown.
        """
        try:
            return self.messages[message_id]
        except KeyError:
            raise InvalidInput(
                f"no message {message_id!r} in the {self.language!r} catalog"
            ) from None

    def text(self, message_id: str, **params: str) -> str:
        """A message worded, its placeholders filled.

        Args:
            message_id: A key of :data:`~untoc_core.reports.messages.MESSAGES`.
            **params: The text of each placeholder.

        Returns:
            The worded message.

        Raises:
            InvalidInput: The message id is unknown or a placeholder has no value.
        """
        template = self.template(message_id)
        missing = placeholders(template) - params.keys()
        if missing:
            raise InvalidInput(
                f"message {message_id!r} needs {', '.join(sorted(missing))}"
            )
        return template.format(**params)


def _read_catalog(language: str) -> dict[str, str]:
    path = resources.files("untoc_core.reports").joinpath("locale", f"{language}.po")
    with path.open("rb") as po:
        read = read_po(po, locale=BABEL_LOCALES[language])
    worded: dict[str, str] = {}
    for message in read:
        if message.id and message.context and message.string:
            worded[str(message.context)] = str(message.string)
    return worded


@functools.cache
def catalog(language: str) -> Catalog:
    """The message catalog of a language (read once, then cached).

    English is :data:`~untoc_core.reports.messages.MESSAGES` itself; the other
    languages are read from their ``.po`` file in ``untoc_core.reports``.

    Args:
        language: One of the six UN languages.

    Returns:
        Its catalog.

    Raises:
        InvalidInput: The language is not a UN language.
    """
    _check_language(language)
    if language == "en":
        return Catalog(language="en", messages=dict(MESSAGES))
    return Catalog(language=language, messages=_read_catalog(language))


def format_date(day: dt.date, language: str) -> str:
    """A day in the long form of a language (``3 mars 2026``, ``2026年3月3日``).

    Args:
        day: The day.
        language: One of the six UN languages.

    Returns:
        The day, worded for the language's locale, with Western digits.

    Raises:
        InvalidInput: The language is not a UN language.
    """
    _check_language(language)
    return str(babel_format_date(day, format="long", locale=BABEL_LOCALES[language]))


@attrs.define
class _Worder:
    """Words the texts of one document in its language."""

    language: str
    catalog: Catalog

    def runs(self, texts: Iterable[Text]) -> Runs:
        out: list[Run] = []
        for text in texts:
            self._add(out, text)
        return _merged(out)

    def string(self, text: Text) -> str:
        return "".join(run.text for run in self.runs((text,)))

    def _add(self, out: list[Run], value: object) -> None:
        match value:
            case Msg():
                self._add_msg(out, value)
            case Content():
                out.append(Run(text=value.text, language=value.language))
                if value.language != self.language:
                    name = self.catalog.text(f"language.{value.language}")
                    marker = self.catalog.text("content.untranslated", language=name)
                    space = "" if self.language == "zh" else " "
                    out.append(Run(text=space + marker, language=self.language))
            case str():
                out.append(Run(text=value, language=self.language))
            case dt.date():
                out.append(
                    Run(text=format_date(value, self.language), language=self.language)
                )
            case int():
                out.append(Run(text=str(value), language=self.language))
            case _:
                raise InvalidInput(
                    f"cannot word a {type(value).__name__} in a document"
                )

    def _add_msg(self, out: list[Run], msg: Msg) -> None:
        template = self.catalog.template(msg.id)
        missing = placeholders(template) - msg.params.keys()
        if missing:
            raise InvalidInput(f"message {msg.id!r} needs {', '.join(sorted(missing))}")
        for literal, name, _, _ in _FORMATTER.parse(template):
            if literal:
                out.append(Run(text=literal, language=self.language))
            if name:
                self._add(out, msg.params[name])

    def block(self, block: Block) -> PlainBlock:
        match block:
            case Heading():
                return PlainHeading(level=block.level, runs=self.runs(block.text))
            case Paragraph():
                return PlainParagraph(
                    runs=self.runs(block.text), number=block.number, style=block.style
                )
            case Items():
                return PlainItems(items=tuple(self.runs(item) for item in block.items))
            case Table():
                return PlainTable(
                    header=tuple(self.runs((cell,)) for cell in block.header),
                    rows=tuple(
                        tuple(self.runs((cell,)) for cell in row) for row in block.rows
                    ),
                )


def _merged(runs: list[Run]) -> Runs:
    """Adjacent runs of one language joined, empty runs dropped."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].language == run.language:
            out[-1] = Run(text=out[-1].text + run.text, language=run.language)
        else:
            out.append(run)
    return tuple(out)


def word(
    doc: Document, *, right_to_left: frozenset[str] = frozenset({"ar"})
) -> PlainDocument:
    """A core document worded in its language, ready for a renderer.

    Every message is worded from the catalog of the document's language, its
    parameters worded recursively (dates in the long form of the locale); every
    piece of content keeps its own language and, when that is not the document's,
    is followed by the ``(held in ... only)`` marker in the document's language.

    Args:
        doc: The document the core built.
        right_to_left: The languages written right to left.

    Returns:
        The worded document.

    Raises:
        InvalidInput: The document's language is not a UN language, or a message
            id is unknown or lacks a parameter.
    """
    worder = _Worder(language=doc.language, catalog=catalog(doc.language))
    return PlainDocument(
        kind=doc.kind,
        language=doc.language,
        right_to_left=doc.language in right_to_left,
        title=worder.runs(doc.title),
        marking=worder.string(Msg(id=f"marking.{doc.marking.value}")),
        dated=worder.string(Msg(id="doc.dated", params={"date": doc.dated})),
        synthetic=worder.string(Msg(id="doc.synthetic")) if doc.synthetic else "",
        blocks=tuple(worder.block(block) for block in doc.blocks),
    )
