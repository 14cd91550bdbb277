"""The Convention, its Protocols and their articles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from untoc_core.instruments import ArticleRef, article_catalogue
from untoc_core.terms import Instrument, Language, RegionalGroup


@pytest.mark.parametrize(
    ("text", "instrument", "number"),
    [
        ("UNTOC 5", Instrument.UNTOC, 5),
        ("tip 6", Instrument.TIP, 6),
        ("SOM art. 9", Instrument.SOM, 9),
        ("  Firearms article 10 ", Instrument.FIREARMS, 10),
    ],
)
def test_an_article_reference_is_parsed(
    text: str, instrument: Instrument, number: int
) -> None:
    assert ArticleRef.parse(text) == ArticleRef(instrument=instrument, number=number)


@pytest.mark.parametrize(
    "text", ["UNTOC", "5", "CAC 5", "UNTOC five", "UNTOC 5 bis", ""]
)
def test_anything_else_is_not_an_article_reference(text: str) -> None:
    with pytest.raises(ValueError, match="is not an article reference"):
        ArticleRef.parse(text)


@given(
    instrument=st.sampled_from(Instrument),
    number=st.integers(min_value=0, max_value=10**6),
)
def test_an_article_reference_reads_back_from_its_text(
    instrument: Instrument, number: int
) -> None:
    ref = ArticleRef(instrument=instrument, number=number)
    assert ArticleRef.parse(str(ref)) == ref


@pytest.mark.parametrize(
    ("instrument", "articles"),
    [
        (Instrument.UNTOC, 41),
        (Instrument.TIP, 20),
        (Instrument.SOM, 25),
        (Instrument.FIREARMS, 21),
    ],
)
def test_the_catalogue_has_every_article_of_each_instrument(
    instrument: Instrument, articles: int
) -> None:
    found = article_catalogue().of(instrument)
    assert [a.ref.number for a in found] == list(range(1, articles + 1))
    assert all(a.title and a.text for a in found)


def test_an_article_outside_an_instrument_is_not_in_the_catalogue() -> None:
    catalogue = article_catalogue()
    assert ArticleRef.parse("UNTOC 41") in catalogue
    assert ArticleRef.parse("UNTOC 42") not in catalogue
    assert catalogue.get(ArticleRef.parse("UNTOC 1")).title == "Statement of purpose"
    with pytest.raises(KeyError):
        catalogue.get(ArticleRef.parse("TIP 21"))


def test_the_protocols_are_listed_in_the_order_they_were_adopted() -> None:
    assert Instrument.protocols() == (
        Instrument.TIP,
        Instrument.SOM,
        Instrument.FIREARMS,
    )
    assert Instrument.UNTOC not in Instrument.protocols()


def test_the_fixed_vocabularies_have_their_stored_values() -> None:
    assert [str(x) for x in Language] == ["ar", "zh", "en", "fr", "ru", "es"]
    assert len(RegionalGroup) == 5
    assert RegionalGroup.GRULAC.short == "GRULAC"
