"""The checklist's core: the question bank, issuing, answers, merging, submission."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import tomllib

import attrs
import pytest

from untoc_core.checklists import model as ck
from untoc_core.checklists.bank import QuestionBank, default_bank
from untoc_core.checklists.form import (
    FilledWorkbook,
    Stakeholder,
    WorkbookMeta,
    answer_digest,
)
from untoc_core.checklists.refusals import ChecklistIncomplete, FollowUpIncomplete
from untoc_core.errors import InvalidInput
from untoc_core.instruments import ArticleRef
from untoc_core.reviews.events import Aspect, FindingKind, FindingRecorded, Stage

ARTICLES = [
    (ArticleRef.parse("UNTOC 5"), "criminalization"),
    (ArticleRef.parse("UNTOC 9"), "prevention"),
    (ArticleRef.parse("TIP 5"), "criminalization"),
]


def finding(n: int, kind: FindingKind, article: str) -> FindingRecorded:
    return FindingRecorded(
        on=dt.date(2026, 4, 1),
        finding_id=f"F-{n}",
        kind=kind,
        article=article,
        aspect=Aspect.LAW,
        stage=Stage.DESK_REVIEW,
        section=f"finding-{n}",
    )


def issued(findings: tuple[FindingRecorded, ...] = ()) -> ck.Checklist:
    state = ck.Checklist(review="cycle-2/ARC")
    event = ck.issue(
        state,
        default_bank(),
        articles=ARTICLES,
        previous_review="cycle-1/ARC",
        findings=findings,
    )
    return ck.evolve(state, event, 1)


def full_answers(state: ck.Checklist) -> dict[str, str]:
    bank = default_bank()
    out = {}
    for q in state.questions:
        if q.choices:
            out[q.id] = bank.choices[q.choices].values[0]
        elif q.answer.value == "date":
            out[q.id] = "2004-05-06"
        else:
            out[q.id] = f"answer to {q.id}"
    return out


def with_draft(
    state: ck.Checklist, answers: dict[str, str], language: str = "en"
) -> ck.Checklist:
    checked = ck.check_answers(state, default_bank(), answers)
    event = ck.save_draft(
        state,
        language=language,
        answers=checked,
        stakeholders=0,
        material_version=1,
        saved_by="ARC",
    )
    return ck.evolve(state, event, state.version + 1)


# -- the bank --------------------------------------------------------------------------


def test_the_shipped_bank_is_worded_in_the_six_languages() -> None:
    bank = default_bank()
    assert bank.languages == ("ar", "zh", "en", "fr", "ru", "es")
    assert bank.right_to_left == {"ar"}
    for q in (*bank.general, *bank.article, *bank.follow_up):
        for wording in q.text.values():
            assert set(wording) == set(bank.languages)
            assert all(text.strip() for text in wording.values())
    kinds = [q.kind for q in bank.article]
    assert kinds[:2] == ["legislation", "practice"]
    assert {"challenges", "assistance-needs", "assistance-priority"} <= set(kinds)


def test_a_bank_missing_a_language_is_refused_naming_it() -> None:
    data = tomllib.loads(_shipped_text())
    del data["article"][0]["text"]["criminalization"]["ru"]
    with pytest.raises(InvalidInput, match=r"legislation.*criminalization.*ru"):
        QuestionBank.from_mapping(data)


def test_a_bank_with_a_list_of_choices_it_lacks_is_refused() -> None:
    data = tomllib.loads(_shipped_text())
    data["general"][0]["answer"] = "choice"
    data["general"][0]["choices"] = "colours"
    with pytest.raises(InvalidInput, match="names no list of choices"):
        QuestionBank.from_mapping(data)


def test_a_bank_that_is_not_toml_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not valid TOML"):
        QuestionBank.from_toml("format = ")


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="ar, zh, en, fr, ru, es"):
        default_bank().check_language("de")


# -- issuing ---------------------------------------------------------------------------


def test_issuing_asks_general_then_each_article_then_the_follow_up() -> None:
    state = issued(
        (
            finding(1, FindingKind.OBSERVATION, "UNTOC 5"),
            finding(2, FindingKind.GOOD_PRACTICE, "UNTOC 9"),
            finding(3, FindingKind.TECHNICAL_ASSISTANCE_NEED, "TIP 5"),
        )
    )
    bank = default_bank()
    sheets = [q.sheet for q in state.questions]
    assert sheets == sorted(sheets, key=["general", "UNTOC", "TIP", "follow-up"].index)
    assert len([s for s in sheets if s == "general"]) == len(bank.general)
    assert [q.article for q in state.questions if q.kind == "legislation"] == [
        "UNTOC 5",
        "UNTOC 9",
        "TIP 5",
    ]
    follow = {(q.finding, q.kind) for q in state.questions if q.sheet == "follow-up"}
    assert {f for f, _ in follow} == {"F-1", "F-3"}
    assert ("F-3", "assistance-provided") in follow
    assert ("F-1", "assistance-provided") not in follow
    types = {
        q.article: q.article_type for q in state.questions if q.sheet != "follow-up"
    }
    assert types["UNTOC 9"] == "measures"
    assert types["UNTOC 5"] == "criminalization"


def test_a_checklist_is_issued_once() -> None:
    state = issued()
    with pytest.raises(InvalidInput, match="already issued"):
        ck.issue(state, default_bank(), articles=ARTICLES)


def test_the_checksum_changes_with_any_wording() -> None:
    bank = default_bank()
    questions = issued().questions
    before = ck.questions_sha256(bank, questions)
    reworded = attrs.evolve(
        bank,
        general=(
            attrs.evolve(
                bank.general[0],
                text={"": {**bank.general[0].text[""], "fr": "Autre question ?"}},
            ),
            *bank.general[1:],
        ),
    )
    assert ck.questions_sha256(reworded, questions) != before
    with pytest.raises(InvalidInput, match="issued from question bank"):
        ck.check_bank(issued(), reworded)


# -- answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "value", "problem"),
    [
        ("general/nothing", "x", "asks no question"),
        ("UNTOC-5/assistance-priority", "urgent", "not one of"),
        ("general/ratification-date", "2004-13-01", "not a date"),
        ("general/ratification-date", "1 May 2004", "not a date"),
        ("UNTOC-5/legislation", "a\x00b", "control character U\\+0000"),
        ("UNTOC-5/legislation", "x" * (ck.MAX_ANSWER + 1), "at most 32000"),
    ],
)
def test_a_bad_answer_is_refused_naming_its_question(
    qid: str, value: str, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        ck.check_answers(issued(), default_bank(), {qid: value})


def test_answers_are_kept_exactly_in_question_order() -> None:
    text = " Текст\r\nс переводом строки\t "  # noqa: RUF001 - Cyrillic on purpose
    checked = ck.check_answers(
        issued(),
        default_bank(),
        {"UNTOC-9/practice": text, "UNTOC-5/legislation": "x", "TIP-5/cases": ""},
    )
    assert list(checked) == ["UNTOC-5/legislation", "UNTOC-9/practice"]
    assert checked["UNTOC-9/practice"] == text


def test_stakeholders_need_a_name_and_a_relevance() -> None:
    with pytest.raises(InvalidInput, match="stakeholder 2 has no relevance"):
        ck.check_stakeholders(
            [
                Stakeholder(name="Police", relevance="practice"),
                Stakeholder(name="x", relevance=" "),
            ]
        )
    twice = Stakeholder(name="Police", relevance="practice")
    assert ck.check_stakeholders([twice, twice]) == (twice,)


def _filled(answers: dict[str, str], base: dict[str, str]) -> FilledWorkbook:
    meta = WorkbookMeta(
        review="cycle-2/ARC",
        language="en",
        bank_version="v",
        questions_sha256="",
        draft=1,
    )
    return FilledWorkbook(
        meta=meta,
        answers=answers,
        base={k: answer_digest(v) for k, v in base.items()},
        stakeholders=(),
    )


def test_a_workbook_changes_only_what_was_changed_in_it() -> None:
    current = {"a": "kept since", "b": "old", "c": "to clear"}
    filled = _filled(
        {"a": "as written", "b": "new", "c": "", "d": "added"},
        {"a": "as written", "b": "old", "c": "to clear", "d": ""},
    )
    merged, conflicts = ck.merge_answers(current, filled)
    assert conflicts == ()
    assert merged == {"a": "kept since", "b": "new", "d": "added"}


def test_an_answer_changed_in_both_places_is_a_conflict() -> None:
    filled = _filled({"a": "ministry"}, {"a": "first"})
    assert ck.merge_answers({"a": "coordinator"}, filled) == (
        {"a": "coordinator"},
        ("a",),
    )
    same = _filled({"a": "both"}, {"a": "first"})
    assert ck.merge_answers({"a": "both"}, same) == ({"a": "both"}, ())


# -- submission ------------------------------------------------------------------------


def test_submission_lists_each_missing_question_in_the_drafts_language() -> None:
    state = issued()
    answers = full_answers(state)
    del answers["UNTOC-9/practice"]
    del answers["general/adoption-date"]
    state = with_draft(state, answers, "zh")
    with pytest.raises(ChecklistIncomplete) as refused:
        ck.submit(state, default_bank(), on=dt.date(2026, 3, 1), titles={})
    assert refused.value.missing == ("general/adoption-date", "UNTOC-9/practice")
    bank = default_bank()
    practice = next(q for q in bank.article if q.kind == "practice")
    assert practice.wording("measures")["zh"] in str(refused.value)
    assert str(refused.value).startswith("[ToR-15] ")


def test_missing_follow_up_alone_cites_tor_41() -> None:
    state = issued((finding(1, FindingKind.OBSERVATION, "UNTOC 5"),))
    answers = {
        k: v for k, v in full_answers(state).items() if not k.startswith("follow-up/")
    }
    state = with_draft(state, answers)
    with pytest.raises(FollowUpIncomplete, match=r"^\[ToR-41\]"):
        ck.submit(state, default_bank(), on=dt.date(2026, 3, 1), titles={})


def test_a_complete_draft_is_submitted_once_and_then_frozen() -> None:
    state = with_draft(issued(), full_answers(issued()))
    submitted = ck.submit(state, default_bank(), on=dt.date(2026, 3, 1), titles={})
    assert submitted.draft == 1
    state = ck.evolve(state, submitted, state.version + 1)
    with pytest.raises(InvalidInput, match="submitted on 2026-03-01"):
        ck.submit(state, default_bank(), on=dt.date(2026, 3, 2), titles={})
    with pytest.raises(InvalidInput, match="supplementary information"):
        ck.save_draft(
            state,
            language="en",
            answers={},
            stakeholders=0,
            material_version=2,
            saved_by="ARC",
        )


def test_nothing_is_submitted_before_a_draft() -> None:
    with pytest.raises(InvalidInput, match="no answers"):
        ck.submit(issued(), default_bank(), on=dt.date(2026, 3, 1), titles={})


# -- helpers ---------------------------------------------------------------------------


def _shipped_text() -> str:
    return (
        importlib.resources.files("untoc_core.checklists")
        .joinpath("data/bank.toml")
        .read_text(encoding="utf-8")
    )
