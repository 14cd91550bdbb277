"""The message catalogs of the six UN languages, and wording a document in one."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from importlib import resources

import pytest
from babel.messages.pofile import read_po

from untoc_adapters.render.messages import (
    catalog,
    format_date,
    placeholders,
    word,
)
from untoc_adapters.render.plain import PlainParagraph, Run
from untoc_core.errors import InvalidInput
from untoc_core.reports.document import (
    Content,
    Document,
    Heading,
    Items,
    Marking,
    Msg,
    Paragraph,
    Style,
    Table,
)
from untoc_core.reports.messages import MESSAGES

TRANSLATED = ("ar", "zh", "fr", "ru", "es")

SAME_AS_ENGLISH: dict[str, frozenset[str]] = {
    # Worded exactly as in English, rightly: punctuation only, or the same word.
    "ar": frozenset(),
    "zh": frozenset(),
    "fr": frozenset(
        {
            "list.comma",
            "article",  # Article {number}
            "bp.I",  # I. Introduction
            "instrument.short.UNTOC",  # Convention
            "thematic.kind.observation",  # Observations
        }
    ),
    "ru": frozenset({"list.comma"}),
    "es": frozenset({"list.comma", "answer.no"}),
}
"""Message ids whose translation is legitimately identical to the English."""

SCRIPTS = {
    "ar": "ARABIC",
    "zh": "CJK",
    "ru": "CYRILLIC",
    "fr": "LATIN",
    "es": "LATIN",
}


def _letters(text: str) -> list[str]:
    """The letters of ``text`` outside its placeholders and section labels.

    Section numbers (``II.``, ``A.``) and subparagraph letters (``a)``) stay Latin
    in Russian UN documents, so they are not counted.
    """
    bare = re.sub(r"\{[^}]*\}", "", text)
    bare = re.sub(r"^(\(?[a-eA-E]\)|[IVX]+\.|[A-E]\.)\s", "", bare)
    return [c for c in bare if c.isalpha()]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    worded = catalog(language).messages
    assert set(worded) == set(MESSAGES)
    for message_id, english in MESSAGES.items():
        text = worded[message_id]
        assert text.strip(), message_id
        assert placeholders(text) == placeholders(english), message_id
        same = text == english
        assert same == (message_id in SAME_AS_ENGLISH[language]), message_id


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_files_key_the_english_text(language: str) -> None:
    path = resources.files("untoc_core.reports").joinpath("locale", f"{language}.po")
    with path.open("rb") as po:
        read = read_po(po)
    entries = [m for m in read if m.id]
    assert len(entries) == len(MESSAGES)
    for message in entries:
        assert message.context in MESSAGES, message.context
        assert message.id == MESSAGES[message.context], message.context
        assert not message.fuzzy, message.context


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_in_the_script_of_their_language(language: str) -> None:
    script = SCRIPTS[language]
    for message_id, text in catalog(language).messages.items():
        letters = _letters(text)
        if not letters:
            continue
        native = [c for c in letters if unicodedata.name(c, "").startswith(script)]
        assert native == letters, (message_id, text)


def test_the_official_names_of_the_convention() -> None:
    assert "Convention des Nations Unies contre la criminalité transnationale" in (
        catalog("fr").text("instrument.UNTOC")
    )
    assert "Delincuencia Organizada Transnacional" in catalog("es").text(
        "instrument.UNTOC"
    )
    assert catalog("zh").text("instrument.UNTOC") == "《联合国打击跨国有组织犯罪公约》"
    assert "الجريمة المنظمة عبر الوطنية" in catalog("ar").text("instrument.UNTOC")
    assert "транснациональной организованной преступности" in catalog("ru").text(
        "instrument.UNTOC"
    )


def test_english_is_the_core_messages() -> None:
    assert catalog("en").messages == MESSAGES
    assert catalog("en").text("article", number="5") == "Article 5"


def test_dates_are_formatted_per_locale() -> None:
    day = dt.date(2026, 3, 3)
    assert format_date(day, "fr") == "3 mars 2026"
    assert "марта" in format_date(day, "ru")
    assert "年" in format_date(day, "zh")
    assert format_date(day, "zh") == "2026年3月3日"
    assert "مارس" in format_date(day, "ar")
    assert "2026" in format_date(day, "ar")  # Western digits, as UN documents
    assert format_date(day, "es") == "3 de marzo de 2026"
    assert format_date(day, "en") == "3 March 2026"


def test_an_unknown_message_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"no message 'bp\.nonesuch'"):
        catalog("fr").text("bp.nonesuch")
    with pytest.raises(InvalidInput, match="needs number"):
        catalog("fr").text("article")
    with pytest.raises(InvalidInput, match="not one of the six UN languages"):
        catalog("de")


def _document(language: str, *blocks: Paragraph | Heading | Items | Table) -> Document:
    return Document(
        kind="country-report",
        language=language,
        title=(Msg(id="bp.III"),),
        marking=Marking.CONFIDENTIAL,
        blocks=blocks,
        dated=dt.date(2026, 3, 3),
        synthetic=True,
    )


def test_english_content_in_a_french_document_is_marked() -> None:
    doc = _document(
        "fr",
        Paragraph(text=(Content(text="Article 5 text", language="en"),)),
        Paragraph(text=(Content(text="Texte de l'article", language="fr"),)),
    )
    plain = word(doc)
    marked, unmarked = plain.blocks
    assert isinstance(marked, PlainParagraph)
    assert isinstance(unmarked, PlainParagraph)
    assert marked.runs == (
        Run(text="Article 5 text", language="en"),
        Run(text=" (disponible en anglais seulement)", language="fr"),
    )
    assert unmarked.runs == (Run(text="Texte de l'article", language="fr"),)


def test_a_document_is_worded_in_its_language() -> None:
    doc = _document(
        "fr",
        Heading(level=3, text=(Msg(id="article", params={"number": 5}),)),
        Paragraph(
            text=(
                Msg(
                    id="bp.IV.A.signed",
                    params={
                        "state": "Maurice",
                        "instrument": Msg(id="instrument.TIP"),
                        "date": dt.date(2001, 12, 12),
                    },
                ),
            ),
            number=7,
            style=Style.BODY,
        ),
        Items(items=((Msg(id="answer.yes"),), ("Texte",))),
        Table(header=(Msg(id="performance.stage"),), rows=((Msg(id="answer.no"),),)),
    )
    plain = word(doc)
    assert plain.language == "fr"
    assert not plain.right_to_left
    assert plain.marking.startswith("Confidentiel")
    assert plain.dated == "Établi le 3 mars 2026"
    assert plain.synthetic.startswith("Document de démonstration")
    assert "".join(r.text for r in plain.title) == "III. Résumé analytique"
    text = plain.text()
    assert "Article 5" in text
    assert (
        "Maurice a procédé à la signature du Protocole visant à prévenir, réprimer et "
        "punir la traite des personnes, en particulier des femmes et des enfants le "
        "12 décembre 2001." in text
    )
    paragraph = plain.blocks[1]
    assert isinstance(paragraph, PlainParagraph)
    assert paragraph.number == 7
    assert {r.language for r in paragraph.runs} == {"fr"}
    assert "oui" in text
    assert "Étape" in text
    assert "non" in text


def test_nested_messages_and_content_params() -> None:
    doc = _document(
        "ru",
        Paragraph(
            text=(
                Msg(
                    id="bp.IV.A.law",
                    params={
                        "title": Content(text="Crimes Act", language="en"),
                        "body": "Парламент",
                        "date": dt.date(2026, 3, 3),
                        "publication": Msg(id="content.none"),
                    },
                ),
            )
        ),
    )
    plain = word(doc)
    paragraph = plain.blocks[0]
    assert isinstance(paragraph, PlainParagraph)
    languages = [r.language for r in paragraph.runs]
    assert languages == ["ru", "en", "ru"]
    assert "(имеется только на языке оригинала: английский)" in paragraph.runs[2].text
    assert "3 марта 2026" in paragraph.runs[2].text
    assert "Информация не зарегистрирована." in paragraph.runs[2].text


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_a_title_is_worded_in_every_language(language: str) -> None:
    articles = Msg(
        id="list.and",
        params={
            "first": Msg(id="bp.title.articles", params={"numbers": "5"}),
            "last": Msg(
                id="bp.title.protocol",
                params={
                    "numbers": Msg(
                        id="list.and",
                        params={
                            "first": Msg(
                                id="list.comma", params={"first": "3", "next": "5"}
                            ),
                            "last": "6",
                        },
                    ),
                    "protocol": Msg(id="instrument.SOM"),
                },
            ),
        },
    )
    title = Msg(
        id="bp.title",
        params={
            "reviewers": "A",
            "state": "B",
            "articles": articles,
            "cycle": Msg(
                id="bp.cycle",
                params={"start": dt.date(2026, 1, 1), "end": dt.date(2031, 12, 31)},
            ),
        },
    )
    doc = Document(
        kind="country-report",
        language=language,
        title=(title,),
        marking=Marking.INFORMATION,
        blocks=(),
        dated=dt.date(2026, 3, 3),
    )
    plain = word(doc)
    assert plain.right_to_left == (language == "ar")
    assert plain.synthetic == ""
    worded = "".join(r.text for r in plain.title)
    assert "{" not in worded
    assert "2031" in worded
    assert format_date(dt.date(2031, 12, 31), language) in worded
    assert catalog(language).text("instrument.SOM") in worded


def test_a_bad_parameter_is_refused() -> None:
    doc = _document("fr", Paragraph(text=(Msg(id="article", params={}),)))
    with pytest.raises(InvalidInput, match="needs number"):
        word(doc)
    doc = _document("fr", Paragraph(text=(Msg(id="nonesuch"),)))
    with pytest.raises(InvalidInput, match="no message 'nonesuch'"):
        word(doc)
