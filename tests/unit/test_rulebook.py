"""The rulebook: resolution 5/5 as data, and the catalogue of its provisions."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from untoc_core.conference import (
    Decision,
    EstablishCycle,
    EstablishPhase,
    default_distribution,
)
from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.instruments import ArticleRef, article_catalogue
from untoc_core.rules import Rulebook, default_rulebook, provisions
from untoc_core.rules.provisions import ProvisionKind
from untoc_core.terms import Instrument, Language

SECOND_RULEBOOK = """
id = "resolution-9-9"
title = "A later resolution"
languages = ["en", "fr"]

[draw]
reviewers_per_party = 3
same_region_reviewers = 2
min_reviews_per_cycle = 0
max_reviews_per_cycle = 4
max_redraws = 1
max_experts_per_party = 5
mutual_reviews = true

[[deadline]]
provision = "GL-12"
step = "official_notification"
after = "reviewers_drawn"
period = { weeks = 6 }

[[cycle]]
number = 1
years = 3
clusters = ["smuggling"]

[[cluster]]
id = "smuggling"
title = "Smuggling of migrants"
articles = ["SOM 6", "SOM article 8"]
"""


def test_two_states_parties_review_each_party_and_one_is_from_its_region() -> None:
    draw = default_rulebook().draw
    assert draw.reviewers_per_party == 2  # ToR 18
    assert draw.same_region_reviewers == 1  # ToR 19
    assert draw.mutual_reviews is False  # ToR 19


def test_each_party_performs_one_to_three_reviews_per_cycle() -> None:
    draw = default_rulebook().draw
    assert (draw.min_reviews_per_cycle, draw.max_reviews_per_cycle) == (1, 3)  # ToR 20


def test_lots_may_be_drawn_again_twice_and_a_party_has_up_to_20_experts() -> None:
    draw = default_rulebook().draw
    assert draw.max_redraws == 2  # ToR 19
    assert draw.max_experts_per_party == 20  # ToR 21


def test_the_six_working_languages_are_in_the_order_of_tor_48() -> None:
    assert default_rulebook().languages == (
        Language.AR,
        Language.ZH,
        Language.EN,
        Language.FR,
        Language.RU,
        Language.ES,
    )
    assert [str(x) for x in default_rulebook().languages] == [
        "ar",
        "zh",
        "en",
        "fr",
        "ru",
        "es",
    ]


def test_annex_ii_has_two_cycles_of_five_years_with_their_themes() -> None:
    rulebook = default_rulebook()
    assert [(c.number, c.years) for c in rulebook.cycles] == [(1, 5), (2, 5)]
    titles = [
        [rulebook.cluster(cid).title for cid in c.clusters] for c in rulebook.cycles
    ]
    assert titles == [
        [
            "Criminalization and other criminal measures",
            "Preventive measures",
            "International cooperation",
        ],
        ["Victim and witness protection", "Cooperation and technical assistance"],
    ]


def test_every_article_of_every_cluster_exists() -> None:
    catalogue = article_catalogue()
    missing = [
        str(a)
        for c in default_rulebook().clusters
        for a in c.articles
        if a not in catalogue
    ]
    assert missing == []


def test_no_article_is_in_two_clusters() -> None:
    counts = collections.Counter(
        a for c in default_rulebook().clusters for a in c.articles
    )
    assert [str(a) for a, n in counts.items() if n > 1] == []


def test_every_cluster_is_used_by_exactly_one_cycle() -> None:
    rulebook = default_rulebook()
    used = [cid for c in rulebook.cycles for cid in c.clusters]
    assert sorted(used) == sorted(c.id for c in rulebook.clusters)


def test_every_instrument_has_articles_in_the_first_cycle() -> None:
    rulebook = default_rulebook()
    first = {
        a.instrument
        for cid in rulebook.cycles[0].clusters
        for a in rulebook.cluster(cid).articles
    }
    assert first == set(Instrument)


def test_every_deadline_names_a_deadline_provision_of_the_catalogue() -> None:
    catalogue = provisions()
    for rule in default_rulebook().deadlines:
        assert catalogue[rule.provision].kind is ProvisionKind.DEADLINE, rule.provision


def test_deadlines_match_the_guidelines() -> None:
    rulebook = default_rulebook()
    assert rulebook.deadline("GL-12").period == Period(months=1)
    assert rulebook.deadline("GL-13").period == Period(weeks=3)
    assert rulebook.deadline("GL-15a").period == Period(months=2)
    assert rulebook.deadline("ToR-24").period == Period(months=6)


def test_asking_for_an_unknown_deadline_or_cluster_is_invalid_input() -> None:
    rulebook = default_rulebook()
    with pytest.raises(InvalidInput, match="no deadline for 'GL-99'"):
        rulebook.deadline("GL-99")
    with pytest.raises(InvalidInput, match="no thematic cluster 'piracy'"):
        rulebook.cluster("piracy")


def test_the_provision_catalogue_has_unique_ids_and_only_known_kinds() -> None:
    catalogue = provisions()
    assert len(catalogue) > 50
    assert all(p.id == key for key, p in catalogue.items())
    assert {"ToR-21", "ToR-45", "ToR-57", "RES-8d", "AX2"} <= set(catalogue)
    assert all(isinstance(p.kind, ProvisionKind) for p in catalogue.values())


def test_only_guidance_for_people_needs_no_scenario() -> None:
    catalogue = provisions()
    assert catalogue["ToR-4"].needs_scenario is False
    assert catalogue["ToR-21"].needs_scenario is True


# -- another rulebook -----------------------------------------------------------------


def test_a_second_rulebook_is_read_from_toml_without_code_changes() -> None:
    rulebook = Rulebook.from_toml(SECOND_RULEBOOK)
    assert rulebook.id == "resolution-9-9"
    assert rulebook.languages == (Language.EN, Language.FR)
    assert rulebook.draw.max_experts_per_party == 5
    assert rulebook.draw.mutual_reviews is True
    assert rulebook.deadline("GL-12").period == Period(weeks=6)
    assert rulebook.cluster("smuggling").articles == (
        ArticleRef(instrument=Instrument.SOM, number=6),
        ArticleRef(instrument=Instrument.SOM, number=8),
    )


def test_a_second_rulebook_drives_the_default_distribution() -> None:
    rulebook = Rulebook.from_toml(SECOND_RULEBOOK)
    decision = Decision(symbol="resolution 9/9", adopted_on=dt.date(2030, 10, 1))
    commands = default_distribution(
        rulebook, decision=decision, starts_on=dt.date(2031, 1, 1)
    )
    cycles = [c for c in commands if isinstance(c, EstablishCycle)]
    assert [(c.cycle, c.years, c.clusters) for c in cycles] == [(1, 3, ("smuggling",))]
    assert sum(isinstance(c, EstablishPhase) for c in commands) == 1


def _broken(old: str, new: str) -> str:
    assert old in SECOND_RULEBOOK
    return SECOND_RULEBOOK.replace(old, new)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id = ", "TOMLDecodeError"),
        (_broken('id = "resolution-9-9"\n', ""), "KeyError: 'id'"),
        (_broken('["en", "fr"]', '["en", "xx"]'), "'xx' is not a valid Language"),
        (_broken("mutual_reviews = true", "mutual_reviews = true\nbogus = 1"), "bogus"),
        (_broken("max_redraws = 1\n", ""), "max_redraws"),
        (_broken("{ weeks = 6 }", "{ fortnights = 3 }"), "fortnights"),
        (_broken('clusters = ["smuggling"]', 'clusters = ["piracy"]'), "'piracy'"),
        (_broken('"SOM 6"', '"SOM six"'), "'SOM six' is not an article reference"),
        (_broken('"SOM 6"', '"PIRACY 6"'), "'PIRACY 6' is not an article reference"),
    ],
    ids=[
        "syntax",
        "missing-id",
        "unknown-language",
        "unknown-draw-key",
        "missing-draw-key",
        "unknown-period-unit",
        "unknown-cluster",
        "bad-article",
        "unknown-instrument",
    ],
)
def test_a_bad_rulebook_is_invalid_input_naming_the_problem(
    text: str, problem: str
) -> None:
    with pytest.raises(InvalidInput, match="the rulebook cannot be read") as caught:
        Rulebook.from_toml(text)
    assert problem in str(caught.value)
