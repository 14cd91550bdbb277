"""A review's checklist: what it asks, what has been answered, and its decisions.

Pure functions over :mod:`untoc_core.checklists.events`: :func:`issue` chooses the
questions of a review (ToR 13(c), 15, 41), :func:`check_answers` validates a draft,
:func:`merge_answers` takes a returned workbook into the current answers,
:func:`submit` refuses an incomplete response (ToR 15, ToR 41), and
:func:`build_form` words a checklist in one language for a renderer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from untoc_core.canonical import canonical_json
from untoc_core.checklists.bank import BankQuestion, QuestionBank
from untoc_core.checklists.events import (
    ChecklistDraftSaved,
    ChecklistIssued,
    ChecklistSubmitted,
    IssuedQuestion,
)
from untoc_core.checklists.form import (
    AnswerKind,
    ChecklistForm,
    FilledWorkbook,
    FormGroup,
    FormQuestion,
    FormSheet,
    Stakeholder,
    answer_digest,
)
from untoc_core.checklists.refusals import ChecklistIncomplete, FollowUpIncomplete
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.instruments import ArticleRef
from untoc_core.reviews.events import FindingKind, FindingRecorded
from untoc_core.terms import Instrument

MAX_ANSWER: Final = 32_000
"""The longest answer, in characters (a spreadsheet cell holds 32,767)."""
MAX_STAKEHOLDERS: Final = 500
MAX_STAKEHOLDER_TEXT: Final = 500
FOLLOWED_UP: Final = frozenset(
    {FindingKind.OBSERVATION, FindingKind.TECHNICAL_ASSISTANCE_NEED}
)
"""The findings of a previous review its party reports progress on (ToR 41)."""
SHEETS: Final = ("general", *(i.value for i in Instrument), "follow-up")
_CONTROL: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


@attrs.frozen(kw_only=True)
class Checklist:
    """Everything recorded about one review's checklist.

    Attributes:
        review: The review id.
        version: The version of its stream.
        issued: The issuing, with the questions; ``None`` before.
        drafts: Every draft saved, in order.
        submitted: The submission; ``None`` before.
    """

    review: str
    version: int = 0
    issued: ChecklistIssued | None = None
    drafts: tuple[ChecklistDraftSaved, ...] = ()
    submitted: ChecklistSubmitted | None = None

    @property
    def questions(self) -> tuple[IssuedQuestion, ...]:
        """The questions issued, in order (none before issuing)."""
        return self.issued.questions if self.issued else ()

    @property
    def latest(self) -> ChecklistDraftSaved | None:
        """The latest draft, or ``None``."""
        return self.drafts[-1] if self.drafts else None

    def missing(self) -> tuple[IssuedQuestion, ...]:
        """The required questions the latest draft leaves unanswered."""
        answered = set(self.latest.answered) if self.latest else set()
        return tuple(q for q in self.questions if q.required and q.id not in answered)


def evolve(state: Checklist, event: Event, version: int) -> Checklist:
    """The checklist after ``event`` at stream ``version``."""
    state = attrs.evolve(state, version=version)
    match event:
        case ChecklistIssued():
            return attrs.evolve(state, issued=event)
        case ChecklistDraftSaved():
            return attrs.evolve(state, drafts=(*state.drafts, event))
        case ChecklistSubmitted():
            return attrs.evolve(state, submitted=event)
    return state


def replay(review: str, events: Iterable[tuple[int, Event]]) -> Checklist:
    """A checklist from its stream's ``(version, event)`` pairs."""
    state = Checklist(review=review)
    for version, event in events:
        state = evolve(state, event, version)
    return state


# -- issuing -------------------------------------------------------------------------


def issue(
    state: Checklist,
    bank: QuestionBank,
    *,
    articles: Sequence[tuple[ArticleRef, str]],
    previous_review: str = "",
    findings: Sequence[FindingRecorded] = (),
) -> ChecklistIssued:
    """Issue a review's checklist.

    Args:
        state: The checklist so far.
        bank: The question bank to word it from.
        articles: Each article under review (ToR 13(c): the cycle's scope in the
            instruments the party is bound by), with its thematic cluster.
        previous_review: The party's previous review, or ``""``.
        findings: The findings recorded in that review; observations and
            technical assistance needs get follow-up questions (ToR 41).

    Raises:
        InvalidInput: the checklist was issued already, or it would ask nothing.
    """
    if state.issued is not None:
        msg = f"the checklist of {state.review} is already issued"
        raise InvalidInput(msg)
    if not articles:
        msg = f"no article of the cycle's scope applies to {state.review}"
        raise InvalidInput(msg)
    questions = questions_for(
        bank, articles=articles, findings=[f for f in findings if f.kind in FOLLOWED_UP]
    )
    return ChecklistIssued(
        review=state.review,
        bank_version=bank.version,
        questions_sha256=questions_sha256(bank, questions),
        questions=questions,
        previous_review=previous_review if findings else "",
    )


def questions_for(
    bank: QuestionBank,
    *,
    articles: Sequence[tuple[ArticleRef, str]],
    findings: Sequence[FindingRecorded] = (),
) -> tuple[IssuedQuestion, ...]:
    """The questions of a checklist: general part, articles in order, follow-up."""
    out = [
        IssuedQuestion(
            id=f"general/{q.kind}",
            sheet="general",
            kind=q.kind,
            answer=q.answer,
            required=q.required,
            choices=q.choices,
        )
        for q in bank.general
    ]
    for ref, cluster in sorted(articles):
        out.extend(
            IssuedQuestion(
                id=f"{ref.instrument.value}-{ref.number}/{q.kind}",
                sheet=ref.instrument.value,
                article=str(ref),
                kind=q.kind,
                article_type=bank.article_type(cluster),
                answer=q.answer,
                required=q.required,
                choices=q.choices,
            )
            for q in bank.article
        )
    for finding in findings:
        out.extend(
            IssuedQuestion(
                id=f"follow-up/{finding.finding_id}/{q.kind}",
                sheet="follow-up",
                article=finding.article,
                kind=q.kind,
                answer=q.answer,
                required=q.required,
                choices=q.choices,
                finding=finding.finding_id,
                finding_kind=finding.kind.value,
            )
            for q in bank.follow_up
            if finding.kind.value in q.applies_to
        )
    return tuple(out)


def questions_sha256(bank: QuestionBank, questions: Sequence[IssuedQuestion]) -> str:
    """The SHA-256 of the questions with their wording in every language."""
    described = []
    for q in questions:
        worded = _bank_question(bank, q)
        described.append(
            {
                "id": q.id,
                "answer": q.answer.value,
                "required": q.required,
                "text": dict(worded.wording(q.article_type)),
                "guidance": dict(worded.guidance),
                "choices": (
                    {
                        v: dict(bank.choices[q.choices].labels[v])
                        for v in _values(bank, q)
                    }
                    if q.choices
                    else {}
                ),
            }
        )
    payload = {"bank": bank.version, "questions": described}
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def check_bank(state: Checklist, bank: QuestionBank) -> None:
    """Refuse a bank other than the one the checklist was issued from.

    Raises:
        InvalidInput: the checklist is not issued, or this bank words it otherwise.
    """
    issued = _issued(state)
    if questions_sha256(bank, issued.questions) != issued.questions_sha256:
        msg = (
            f"the checklist of {state.review} was issued from question bank "
            f"{issued.bank_version}, whose wording this installation does not hold "
            f"(it holds {bank.version})"
        )
        raise InvalidInput(msg)


# -- answering -----------------------------------------------------------------------


def check_answers(
    state: Checklist, bank: QuestionBank, answers: Mapping[str, str]
) -> dict[str, str]:
    """The answers of a draft, checked; empty answers are left out.

    Raises:
        InvalidInput: an answer to a question the checklist does not ask, a value
            outside its list, a malformed date, or text too long or holding
            control characters; the message names the question.
    """
    by_id = {q.id: q for q in _issued(state).questions}
    out: dict[str, str] = {}
    for qid, value in answers.items():
        question = by_id.get(qid)
        if question is None:
            msg = f"the checklist of {state.review} asks no question {qid!r}"
            raise InvalidInput(msg)
        if value == "":
            continue
        _check_answer(bank, question, value)
        out[qid] = value
    return {q.id: out[q.id] for q in _issued(state).questions if q.id in out}


def _check_answer(bank: QuestionBank, question: IssuedQuestion, value: str) -> None:
    where = f"the answer to {question.id}"
    match question.answer:
        case AnswerKind.CHOICE:
            values = _values(bank, question)
            if value not in values:
                msg = f"{where} is {value!r}, not one of {', '.join(values)}"
                raise InvalidInput(msg)
        case AnswerKind.DATE:
            try:
                day = dt.date.fromisoformat(value) if _DATE.fullmatch(value) else None
            except ValueError:
                day = None
            if day is None or not 1900 <= day.year <= 2100:  # noqa: PLR2004
                msg = (
                    f"{where} is {value!r}, not a date YYYY-MM-DD between 1900 and 2100"
                )
                raise InvalidInput(msg)
        case AnswerKind.TEXT:
            check_text(where, value, MAX_ANSWER)


def check_text(where: str, value: str, limit: int) -> None:
    """Refuse text longer than ``limit`` or holding control characters.

    Tabs and line breaks are text; other control characters (C0, DEL, C1), lone
    surrogates and the non-characters U+FFFE and U+FFFF are not.

    Raises:
        InvalidInput: naming ``where`` and the problem.
    """
    if len(value) > limit:
        msg = f"{where} has {len(value)} characters; at most {limit} are kept"
        raise InvalidInput(msg)
    found = _CONTROL.search(value)
    if found is not None:
        char = found.group()
        msg = (
            f"{where} holds the control character U+{ord(char):04X} "
            f"at {found.start() + 1}"
        )
        raise InvalidInput(msg)


def check_stakeholders(stakeholders: Sequence[Stakeholder]) -> tuple[Stakeholder, ...]:
    """The stakeholders consulted (ToR 27), checked and without repeats.

    Raises:
        InvalidInput: a blank name or relevance, text too long, or too many.
    """
    if len(stakeholders) > MAX_STAKEHOLDERS:
        msg = f"at most {MAX_STAKEHOLDERS} stakeholders are listed"
        raise InvalidInput(msg)
    for i, s in enumerate(stakeholders, start=1):
        for field, value in (("name", s.name), ("relevance", s.relevance)):
            if not value.strip():
                msg = f"stakeholder {i} has no {field}"
                raise InvalidInput(msg)
            check_text(f"the {field} of stakeholder {i}", value, MAX_STAKEHOLDER_TEXT)
    return tuple(dict.fromkeys(stakeholders))


def merge_answers(
    current: Mapping[str, str], filled: FilledWorkbook
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Take the answers changed in a returned workbook into the current answers.

    An answer the workbook leaves as it was when written keeps its current value,
    so copies split among ministries can be returned one by one. An answer
    changed both in the workbook and in a draft saved since it was written is a
    conflict: its question id is returned, and nothing should be taken.

    Returns:
        The merged answers, and the ids of the conflicting questions.
    """
    merged = dict(current)
    conflicts = []
    for qid, value in filled.answers.items():
        base = filled.base.get(qid, "")
        now = current.get(qid, "")
        if answer_digest(value) == base or value == now:
            continue
        if answer_digest(now) != base:
            conflicts.append(qid)
            continue
        merged[qid] = value
    return {k: v for k, v in merged.items() if v}, tuple(conflicts)


def merge_stakeholders(
    current: Sequence[Stakeholder], returned: Sequence[Stakeholder]
) -> tuple[Stakeholder, ...]:
    """The stakeholders recorded so far, then any new one a workbook lists."""
    return tuple(dict.fromkeys((*current, *returned)))


def save_draft(  # noqa: PLR0913 - the facts of a draft
    state: Checklist,
    *,
    language: str,
    answers: Mapping[str, str],
    stakeholders: int,
    material_version: int,
    saved_by: str,
) -> ChecklistDraftSaved:
    """Record a draft of checked answers, filed at ``material_version``.

    Raises:
        InvalidInput: the checklist is not issued, or is submitted already.
    """
    _issued(state)
    if state.submitted is not None:
        msg = (
            f"the checklist of {state.review} was submitted on "
            f"{state.submitted.on}; later information is supplementary information"
        )
        raise InvalidInput(msg)
    return ChecklistDraftSaved(
        review=state.review,
        draft=len(state.drafts) + 1,
        language=language,
        answered=tuple(answers),
        stakeholders=stakeholders,
        material_version=material_version,
        saved_by=saved_by,
    )


def submit(
    state: Checklist, bank: QuestionBank, *, on: dt.date, titles: Mapping[str, str]
) -> ChecklistSubmitted:
    """Submit the latest draft as the response, if it is complete.

    Raises:
        ChecklistIncomplete: a required question is unanswered (ToR-15); the
            message lists each one, worded in the draft's language.
        FollowUpIncomplete: only follow-up questions are unanswered (ToR-41).
        InvalidInput: not issued, no draft, or submitted already.
    """
    _issued(state)
    if state.submitted is not None:
        msg = f"the checklist of {state.review} was submitted on {state.submitted.on}"
        raise InvalidInput(msg)
    latest = state.latest
    if latest is None:
        msg = f"no answers to the checklist of {state.review} are saved yet"
        raise InvalidInput(msg)
    missing = state.missing()
    if missing:
        form = build_form(bank, state, language=latest.language, titles=titles)
        words = {
            q.id: (s, g, q) for s in form.sheets for g in s.groups for q in g.questions
        }
        lines = [
            f"{words[q.id][0].title} / {words[q.id][1].title}: {words[q.id][2].text}"
            for q in missing
        ]
        what = (
            f"{len(missing)} required question{'s are' if len(missing) > 1 else ' is'}"
        )
        msg = f"the response cannot be submitted: {what} unanswered: " + "; ".join(
            lines
        )
        ids = [q.id for q in missing]
        if all(q.sheet == "follow-up" for q in missing):
            raise FollowUpIncomplete(msg, ids)
        raise ChecklistIncomplete(msg, ids)
    return ChecklistSubmitted(review=state.review, draft=latest.draft, on=on)


# -- wording -------------------------------------------------------------------------


def build_form(  # noqa: PLR0913 - what a form is worded from
    bank: QuestionBank,
    state: Checklist,
    *,
    language: str,
    titles: Mapping[str, str],
    party: str = "",
    answers: Mapping[str, str] | None = None,
    stakeholders: Sequence[Stakeholder] = (),
    contexts: Mapping[str, str] | None = None,
) -> ChecklistForm:
    """The checklist worded in ``language``, with the answers given.

    Args:
        bank: The bank the checklist was issued from.
        state: The checklist.
        language: The language to word it in.
        titles: Each article's title, by reference (``UNTOC 5``), as held.
        party: The party under review, for the form's heading.
        answers: The current answers, by question id.
        stakeholders: The stakeholders consulted recorded so far.
        contexts: For follow-up questions, the text of each previous finding the
            reader may see, by finding id.

    Raises:
        InvalidInput: the bank is not worded in ``language``, or the checklist
            is not issued.
    """
    bank.check_language(language)
    issued = _issued(state)
    label = {key: words[language] for key, words in bank.labels.items()}
    sheets: list[FormSheet] = []
    for sheet in SHEETS:
        questions = [q for q in issued.questions if q.sheet == sheet]
        if not questions:
            continue
        groups: dict[str, list[FormQuestion]] = {}
        for q in questions:
            heading = _heading(bank, q, language, titles)
            groups.setdefault(heading, []).append(
                _worded(bank, q, language, (contexts or {}).get(q.finding, ""))
            )
        sheets.append(
            FormSheet(
                id=sheet,
                title=label[f"sheet.{sheet}"],
                groups=tuple(
                    FormGroup(title=t, questions=tuple(g)) for t, g in groups.items()
                ),
            )
        )
    latest = state.latest
    return ChecklistForm(
        review=state.review,
        party=party,
        language=language,
        right_to_left=language in bank.right_to_left,
        bank_version=issued.bank_version,
        questions_sha256=issued.questions_sha256,
        draft=latest.draft if latest else 0,
        sheets=tuple(sheets),
        answers=dict(answers or {}),
        stakeholders=tuple(stakeholders),
        labels=label,
    )


def _heading(
    bank: QuestionBank,
    q: IssuedQuestion,
    language: str,
    titles: Mapping[str, str],
) -> str:
    label = {key: words[language] for key, words in bank.labels.items()}
    if q.sheet == "general":
        return label.get(f"group.{_bank_question(bank, q).group}", "")
    ref = ArticleRef.parse(q.article)
    article = label["article"].format(number=ref.number)
    if q.sheet == "follow-up":
        where = f"{label[f'sheet.{ref.instrument.value}']}, {article}"
        return (
            label[f"follow-up.{q.finding_kind}"].format(article=where)
            + f" ({q.finding})"
        )
    title = titles.get(q.article, "")
    if not title:
        return article
    marker = "" if language == "en" else f" {label['english-only']}"
    return f"{article}: {title}{marker}"


def _worded(
    bank: QuestionBank, q: IssuedQuestion, language: str, context: str
) -> FormQuestion:
    worded = _bank_question(bank, q)
    choices = (
        tuple(
            (v, bank.choices[q.choices].labels[v][language]) for v in _values(bank, q)
        )
        if q.choices
        else ()
    )
    return FormQuestion(
        id=q.id,
        article=q.article,
        kind=q.kind,
        answer=q.answer,
        required=q.required,
        text=worded.wording(q.article_type)[language],
        guidance=worded.guidance[language],
        choices=choices,
        context=context,
    )


def _bank_question(bank: QuestionBank, q: IssuedQuestion) -> BankQuestion:
    pool = {"general": bank.general, "follow-up": bank.follow_up}.get(
        q.sheet, bank.article
    )
    for candidate in pool:
        if candidate.kind == q.kind:
            return candidate
    msg = f"the question bank {bank.version} has no question {q.kind!r}"
    raise InvalidInput(msg)


def _values(bank: QuestionBank, q: IssuedQuestion) -> tuple[str, ...]:
    found = bank.choices.get(q.choices)
    if found is None:
        msg = f"the question bank {bank.version} has no list of choices {q.choices!r}"
        raise InvalidInput(msg)
    return found.values


def _issued(state: Checklist) -> ChecklistIssued:
    if state.issued is None:
        msg = f"the checklist of {state.review} is not issued yet"
        raise InvalidInput(msg)
    return state.issued
