"""Steps of the reports: the blueprint, summaries in six languages, compilations.

Provisions: ToR 3(b), 3(c), 11(d), 25, 32, 34, 35, 37 bis-septies, 40, 44, 46, 48,
51; GL 22, 31; the blueprint's title and sections (see ``features/reports.feature``).
The world is ``tests.report_world``: four fictional reviews taken to their final
report on a real vault; documents are rendered and read back as a participant
would read them (the Word document's headings, the text of the page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import docx
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.conftest import Outcome
from tests.report_world import STATES, open_copy, open_report_world
from tests.vault_world import World
from untoc_adapters import reports
from untoc_adapters.render.messages import catalog, word
from untoc_core import Mechanism
from untoc_core.conference import Decision
from untoc_core.errors import InvalidInput
from untoc_core.reports import oversight as ovs
from untoc_core.reports import publication as pub
from untoc_core.reports.document import Document

scenarios("reports.feature")

LANGUAGES = {
    "Arabic": "ar",
    "Chinese": "zh",
    "English": "en",
    "French": "fr",
    "Russian": "ru",
    "Spanish": "es",
    "German": "de",
}
TODAY = dt.date(2026, 7, 1)


@attrs.define
class Scene:
    """What the scenario rendered or recorded."""

    document: Document | None = None
    docx: bytes = b""
    publication: str = ""


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report world per module, copied for each scenario (it takes seconds)."""
    base = tmp_path_factory.mktemp("report-world")
    open_report_world(base).close()
    return base


@pytest.fixture
def world(world_dir: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_copy(world_dir, tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def mechanism(world: World) -> Mechanism:
    return world.vault.mechanism


@pytest.fixture
def scene() -> Scene:
    return Scene()


def _text(scene: Scene) -> str:
    assert scene.document is not None
    return word(scene.document).text()


def _all_names(world: World) -> list[str]:
    registry = world.vault.mechanism.registry()
    return [n for e in registry.entries.values() for n in e.names.values()]


# -- givens ----------------------------------------------------------------------------


@given("the review of Arcadia by Borduria and Carpathia is complete")
@given("the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete")
def complete(world: World) -> None:
    state = world.vault.mechanism.country_review("cycle-1/ARC")
    assert "review_completed" in state.steps


def _deliver_summary(world: World, languages: list[str]) -> None:
    for language in languages:
        text = f"Executive summary ({language}): the review found good practices."
        reports.deliver_translation(
            world.vault, "secretariat", "cycle-1/ARC", language=language, text=text
        )
        sha = hashlib.sha256(text.encode()).hexdigest()
        world.vault.mechanism.record_translation(
            pub.TranslationChecked(
                document="summary/cycle-1/ARC",
                language=language,
                sha256=sha,
                checked_by="secretariat",
            )
        )


@given("its executive summary was delivered and checked in every language but Chinese")
def summary_but_chinese(world: World, scene: Scene) -> None:
    _deliver_summary(world, [x for x in pub.LANGUAGES if x != "zh"])
    scene.publication = "summary/cycle-1/ARC"


@given("its executive summary was delivered and checked in the six languages")
def summary_six(world: World, scene: Scene) -> None:
    _deliver_summary(world, list(pub.LANGUAGES))
    scene.publication = "summary/cycle-1/ARC"


@given(
    "the thematic report of cycle 1 was delivered and checked in every language "
    "but Arabic"
)
def thematic_but_arabic(world: World, scene: Scene) -> None:
    document = "thematic/cycle-1/all"
    for language in pub.LANGUAGES:
        if language == "ar":
            continue
        sha = hashlib.sha256(language.encode()).hexdigest()
        for event in (
            pub.TranslationDelivered(document=document, language=language, sha256=sha),
            pub.TranslationChecked(
                document=document,
                language=language,
                sha256=sha,
                checked_by="secretariat",
            ),
        ):
            world.vault.mechanism.record_translation(event)
    scene.publication = document


def _submit_expert_report(world: World) -> None:
    world.vault.mechanism.record_oversight(
        ovs.ExpertGroupReportSubmitted(
            cycle=1, year=1, report_sha256=hashlib.sha256(b"report").hexdigest()
        ),
        actor="expert-group",
    )


@given(
    "the group of experts submitted its report of cycle 1, year 1, to the "
    "Implementation Oversight Group"
)
def submitted(world: World) -> None:
    _submit_expert_report(world)


# -- whens -----------------------------------------------------------------------------


@when(
    parsers.parse(
        "the secretariat renders Arcadia's country review report in {language} "
        "as a Word document"
    )
)
def renders_docx(world: World, scene: Scene, language: str) -> None:
    scene.document = reports.country_document(
        world.vault,
        "secretariat",
        "cycle-1/ARC",
        language=LANGUAGES[language],
        today=TODAY,
    )
    scene.docx = reports.render(scene.document, reports.Format.DOCX)


@when(
    parsers.parse(
        "the secretariat renders Arcadia's country review report in {language}"
    )
)
def renders(world: World, scene: Scene, outcome: Outcome, language: str) -> None:
    def run() -> None:
        scene.document = reports.country_document(
            world.vault,
            "secretariat",
            "cycle-1/ARC",
            language=LANGUAGES[language],
            today=TODAY,
        )

    outcome.run(world.vault.mechanism, run)
    if outcome.error is None:
        outcome.examined = True


@when("the secretariat publishes it")
def publishes(world: World, scene: Scene, outcome: Outcome) -> None:
    outcome.run(
        world.vault.mechanism, lambda: reports.publish(world.vault, scene.publication)
    )


@when(parsers.parse('the secretariat delivers an English summary saying "{text}"'))
def delivers(world: World, outcome: Outcome, text: str) -> None:
    outcome.run(
        world.vault.mechanism,
        lambda: reports.deliver_translation(
            world.vault, "secretariat", "cycle-1/ARC", language="en", text=text
        ),
    )


@when(
    parsers.parse(
        "the secretariat renders the thematic report of cycle 1 in {language}"
    )
)
def renders_thematic(world: World, scene: Scene, language: str) -> None:
    scene.document = reports.thematic_document(
        world.vault, "secretariat", 1, language=LANGUAGES[language], today=TODAY
    )


@when(
    parsers.parse(
        "the secretariat renders the {group} addendum of cycle 1 in {language}"
    )
)
def renders_addendum(world: World, scene: Scene, group: str, language: str) -> None:
    scene.document = reports.thematic_document(
        world.vault,
        "secretariat",
        1,
        language=LANGUAGES[language],
        today=TODAY,
        group=group,
    )


@when(
    parsers.parse(
        "the group of experts renders its report of cycle 1, year 1, in {language}"
    )
)
def renders_expert(world: World, scene: Scene, language: str) -> None:
    scene.document = reports.expert_group_document(
        world.vault, "secretariat", 1, year=1, language=LANGUAGES[language], today=TODAY
    )


@when(parsers.parse('the group of experts records information saying "{text}"'))
def records_information(world: World, outcome: Outcome, text: str) -> None:
    outcome.run(
        world.vault.mechanism,
        lambda: world.vault.mechanism.record_oversight(
            ovs.ExpertInformationRecorded(
                cycle=1, year=1, text=text, language="en", source="a regional body"
            ),
            actor="expert-group",
        ),
    )


@when(
    "the Implementation Oversight Group sends recommendations based on the thematic "
    "and expert group reports"
)
def sends_recommendations(world: World) -> None:
    world.vault.mechanism.record_oversight(
        ovs.OversightRecommendationsSent(
            cycle=1,
            based_on=("thematic/cycle-1/all", "expert-group/cycle-1/year-1"),
            recommendations=("Strengthen the collection of statistics.",),
        )
    )


@when(
    "the Implementation Oversight Group sends recommendations based on the report "
    "of Arcadia"
)
def sends_wrong_recommendations(world: World, outcome: Outcome) -> None:
    outcome.run(
        world.vault.mechanism,
        lambda: world.vault.mechanism.record_oversight(
            ovs.OversightRecommendationsSent(
                cycle=1,
                based_on=("summary/cycle-1/ARC",),
                recommendations=("Arcadia should act.",),
            )
        ),
    )


@when(parsers.parse("the Conference considers them by decision {symbol}"))
def considers(world: World, symbol: str) -> None:
    world.vault.mechanism.record_oversight(
        ovs.RecommendationsConsidered(
            cycle=1,
            decision=Decision(
                symbol=f"decision {symbol}", adopted_on=dt.date(2027, 10, 1)
            ),
            outcome="The Conference endorsed the recommendations.",
        )
    )


@when(
    parsers.parse(
        "the secretariat renders the performance report of cycle 1 in {language}"
    )
)
def renders_performance(world: World, scene: Scene, language: str) -> None:
    scene.document = reports.performance_document(
        world.vault.mechanism, 1, language=LANGUAGES[language], today=TODAY
    )


# -- thens -----------------------------------------------------------------------------


@then(parsers.parse("its title names the States {a}, {b} and {c}"))
def title_names(world: World, scene: Scene, a: str, b: str, c: str) -> None:
    title = _text(scene).splitlines()[0]
    for name in (a, b, c):
        assert name in title, title


@then(
    "its title names articles 5, 6 and 9 of the Convention, article 5 of the "
    "Trafficking in Persons Protocol and the cycle"
)
def title_articles(scene: Scene) -> None:
    title = _text(scene).splitlines()[0]
    assert "articles 5, 6 and 9 of the Convention" in title, title
    assert (
        "article 5 of the Protocol to Prevent, Suppress and Punish Trafficking" in title
    )
    assert "1 January 2026" in title
    assert "31 December 2027" in title


def _docx_headings(data: bytes) -> list[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None
        and (p.style.name.startswith("Heading") or p.style.name == "Title")
    ]


@then(
    "its headings are, in order, sections I, II, III and IV, then IV.A, IV.B, IV.C "
    "and IV.D"
)
def headings_in_order(scene: Scene) -> None:
    assert scene.document is not None
    words = catalog(scene.document.language)
    headings = _docx_headings(scene.docx)
    assert headings[0][0] == "Title"
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1 == [words.text(f"bp.{n}") for n in ("I", "II", "III", "IV")]
    level2 = [t for s, t in headings if s == "Heading 2"]
    protocol = words.text("instrument.TIP")
    expected = [
        words.text("bp.III.a"),
        words.text("bp.III.b"),
        words.text("bp.III.c"),
        words.text("bp.III.d"),
        words.text("bp.IV.A"),
        words.text("bp.IV.B", state=_name(scene, "ARC")),
        words.text("bp.IV.C"),
        words.text("bp.IV.D", protocol=protocol),
    ]
    assert level2 == expected


def _name(scene: Scene, code: str) -> str:
    assert scene.document is not None
    return (
        STATES[code][0] if scene.document.language != "fr" else f"{STATES[code][0]}-fr"
    )


@then("each article under review has the parts (a) to (e)")
def parts_a_to_e(scene: Scene) -> None:
    assert scene.document is not None
    words = catalog(scene.document.language)
    headings = _docx_headings(scene.docx)
    articles = [i for i, (s, _) in enumerate(headings) if s == "Heading 3"]
    assert len(articles) == 4
    parts = [words.text(f"bp.{p}") for p in "abcde"]
    for i in articles:
        assert [t for _, t in headings[i + 1 : i + 6]] == parts
        assert all(s == "Heading 4" for s, _ in headings[i + 1 : i + 6])


@then(
    parsers.parse(
        "section II names videoconferences and a country visit from {start} to {end}"
    )
)
def section_ii(scene: Scene, start: str, end: str) -> None:
    text = _text(scene)
    process = text.split("II. Process", 1)[1].split("III. Executive summary", 1)[0]
    assert "by means of videoconferences and a country visit" in process
    assert f"from {start} to {end}" in process


@then(
    "section III lists its good practices, challenges, observations and technical "
    "assistance needs"
)
def section_iii(scene: Scene) -> None:
    text = _text(scene)
    summary = text.split("III. Executive summary", 1)[1].split("IV. Implementation", 1)[
        0
    ]
    for phrase in (
        "A specialised unit prosecutes organized crime.",
        "Statistics on convictions are not collected.",
        "The offence requires a financial benefit.",
        "Training for judges on investigations.",
    ):
        assert phrase in summary


@then(
    "each article lists its good practices and technical assistance needs under (c) "
    "and (e)"
)
def parts_c_and_e(scene: Scene) -> None:
    text = _text(scene)
    article = text.split("Article 5\n", 1)[1].split("Article 6\n", 1)[0]
    good = article.split("(c) Successes and good practices", 1)[1].split("(d)", 1)[0]
    needs = article.split("(e) Technical assistance needs", 1)[1]
    assert "A specialised unit prosecutes organized crime." in good
    assert "Training for judges on investigations." in needs


@then(
    "section IV.A gives Arcadia's deposit date and its implementing legislation "
    "as answered"
)
def section_iv_a(scene: Scene) -> None:
    text = _text(scene)
    part = text.split("A. Ratification", 1)[1].split("B. Legal system", 1)[0]
    assert "Arcadia deposited its instrument" in part
    assert "29 September 2003" in part
    assert "Réponse de Arcadia (general/implementing-law-title)." in part
    assert "6 May 2004" in part


@then("section IV.B says whether treaties apply directly, as answered")
def section_iv_b(scene: Scene) -> None:
    text = _text(scene)
    part = text.split("B. Legal system of Arcadia", 1)[1].split("C. Implementation", 1)[
        0
    ]
    assert (
        "Whether ratified treaties apply without implementing legislation: yes." in part
    )


@then(
    "article 5 of the Convention comes with its title and its text, marked as held "
    "in English only"
)
def article_text(scene: Scene) -> None:
    text = _text(scene)
    words = catalog("fr")
    marker = words.text("content.untranslated", language=words.text("language.en"))
    article = text.split("Article 5\n", 1)[1]
    first, second = article.splitlines()[:2]
    assert first.startswith(
        "Criminalization of participation in an organized criminal group"
    )
    assert first.endswith(marker)
    assert second.startswith("1. Each State Party shall adopt")


@then("its observations are given on the law and in practice")
def law_and_practice(scene: Scene) -> None:
    words = catalog("fr")
    text = _text(scene)
    article = text.split("Article 5\n", 1)[1].split("Article 6\n", 1)[0]
    observations = article.split(words.text("bp.b"), 1)[1].split(words.text("bp.c"), 1)[
        0
    ]
    assert (
        words.text("aspect.law") in observations
        or words.text("aspect.practice") in observations
    )
    lines = [line for line in observations.splitlines() if line.strip()]
    aspects = [
        "law" if line.startswith(words.text("aspect.law")) else "practice"
        for line in lines
        if line.startswith((words.text("aspect.law"), words.text("aspect.practice")))
    ]
    assert aspects == sorted(aspects, key=["law", "practice"].index)


@then("article 5 of the Trafficking in Persons Protocol is in section IV.D")
def article_in_d(scene: Scene) -> None:
    words = catalog("fr")
    text = _text(scene)
    section_d = text.split(
        words.text("bp.IV.D", protocol=words.text("instrument.TIP")), 1
    )[1]
    assert "Article 5\n" in section_d
    assert section_d.count("Article ") == 1


@then(parsers.re(r"the refusal names (?P<language>[a-z]{2})"))
def refusal_names(outcome: Outcome, language: str) -> None:
    assert outcome.error is not None
    assert re.search(rf"missing: {language} \(", str(outcome.error)), str(outcome.error)


@then("the publication records the six versions, signed by the secretariat")
def published(world: World, outcome: Outcome) -> None:
    assert outcome.error is None, outcome.error
    state = world.vault.mechanism.publication("summary/cycle-1/ARC")
    assert state.published is not None
    assert [v.language for v in state.published.versions] == list(pub.LANGUAGES)
    assert state.published.published_by == "secretariat"
    assert state.published.signature


@then("the refusal names the abbreviation MLA")
def refusal_names_mla(outcome: Outcome) -> None:
    assert "MLA (line 1)" in str(outcome.error)


@then(parsers.parse("it lists the good practice recorded in {count:d} reviews"))
def lists_common(scene: Scene, count: int) -> None:
    text = _text(scene)
    assert (
        f"Recorded in {count} reviews: A specialised unit prosecutes organized crime."
        in text
    )


@then("it names no State in any language, nor any State's code")
def names_no_state(world: World, scene: Scene) -> None:
    text = _text(scene)
    for name in _all_names(world):
        assert name.casefold() not in text.casefold(), name
    for code in STATES:
        assert not re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", text), code


@then(
    "it gives general trends and trends for the African States and the Eastern "
    "European States"
)
def trends(scene: Scene) -> None:
    assert scene.document is not None
    text = _text(scene)
    assert "General trends" in text
    regional = text.split("Regional trends", 1)[1]
    assert "African States" in regional
    assert "Eastern European States" in regional


@then(
    "the oversight of cycle 1 records the submission, the recommendations and the "
    "decision"
)
def oversight_recorded(world: World) -> None:
    state = world.vault.mechanism.oversight(1)
    assert [s.year for s in state.submitted] == [1]
    assert state.recommendations[0].based_on == (
        "thematic/cycle-1/all",
        "expert-group/cycle-1/year-1",
    )
    assert state.considered[0].decision.symbol == "decision 9/1"


@then("the recommendations are refused")
def recommendations_refused(world: World, outcome: Outcome) -> None:
    error = outcome.refusal()
    assert isinstance(error, InvalidInput)
    assert "ToR 40" in str(error)
    assert world.vault.mechanism.store.last_position() == outcome.position


@then("it gives stage figures for the mechanism as a whole")
def stage_figures(scene: Scene) -> None:
    text = _text(scene)
    assert "Stage | Reviews | Median days | Late" in text
    assert "checklist response submitted" in text
