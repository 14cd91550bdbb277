"""The question bank: every question of the checklist, worded in every language.

The bank is data (``data/bank.toml``), so a secretariat can reword a question or
add a language without changing code. It holds three kinds of questions:

* the **general part**, answered once per review (ratification, implementing
  legislation, the legal system: what sections IV.A and IV.B of the report need);
* **article questions**, asked for every article under review, each worded for
  the article's type (offences, other measures, cooperation), which the bank maps
  from the article's thematic cluster;
* **follow-up questions**, asked in a later phase about each observation and
  technical assistance need of the party's previous review (ToR 41).

It also holds the lists of choices offered and the words of the form itself.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections.abc import Mapping
from typing import Any, Final, NoReturn

import attrs

from untoc_core.checklists.form import LABEL_KEYS, AnswerKind
from untoc_core.errors import InvalidInput

BANK_FORMAT: Final = "untoc-question-bank/1"

Localised = Mapping[str, str]
"""A text in every language of the bank, by language code."""


@attrs.frozen(kw_only=True)
class ChoiceList:
    """A fixed list of values an answer may take, with each value's labels."""

    id: str
    values: tuple[str, ...]
    labels: Mapping[str, Localised]


@attrs.frozen(kw_only=True)
class BankQuestion:
    """One question of the bank.

    Attributes:
        kind: For the general part, the question's id (``ratification-date``);
            otherwise the kind of question (``legislation``, ``progress`` ...).
        group: The general part's group it belongs to, else ``""``.
        answer: What its answer holds.
        required: Whether submission needs an answer.
        choices: The id of its list of choices, for a choice.
        text: Its wording, by article type (``""`` for questions worded one way).
        guidance: Help for the person answering.
        applies_to: For a follow-up question, the kinds of finding it follows up.
    """

    kind: str
    group: str = ""
    answer: AnswerKind
    required: bool
    choices: str = ""
    text: Mapping[str, Localised]
    guidance: Localised
    applies_to: tuple[str, ...] = ()

    def wording(self, article_type: str = "") -> Localised:
        """The question in every language, for an article of ``article_type``."""
        return self.text.get(article_type) or self.text[""]


@attrs.frozen(kw_only=True)
class QuestionBank:
    """Every question, choice list and label of the checklist.

    Attributes:
        version: The bank's version, recorded with every checklist issued from it.
        languages: The languages every text is worded in.
        right_to_left: The languages written right to left.
        article_types: The article type of each thematic cluster.
        default_article_type: The type of an article in a cluster not mapped.
        labels: The form's own words, by key of ``LABEL_KEYS``.
        choices: The lists of choices, by id.
        general: The general part, in order.
        article: The questions asked of every article, in order.
        follow_up: The questions asked of every previous finding, in order.
    """

    version: str
    languages: tuple[str, ...]
    right_to_left: frozenset[str]
    article_types: Mapping[str, str]
    default_article_type: str
    labels: Mapping[str, Localised]
    choices: Mapping[str, ChoiceList]
    general: tuple[BankQuestion, ...]
    article: tuple[BankQuestion, ...]
    follow_up: tuple[BankQuestion, ...]

    def article_type(self, cluster: str) -> str:
        """The article type whose wording an article of ``cluster`` gets."""
        return self.article_types.get(cluster, self.default_article_type)

    def label(self, key: str, language: str) -> str:
        """One of the form's words in ``language``."""
        return self.labels[key][language]

    def check_language(self, language: str) -> str:
        """Return ``language`` if the bank is worded in it; else ``InvalidInput``."""
        if language not in self.languages:
            msg = (
                f"the checklist is not worded in {language!r}; "
                f"choose one of {', '.join(self.languages)}"
            )
            raise InvalidInput(msg)
        return language

    @classmethod
    def from_toml(cls, text: str) -> QuestionBank:
        """Read a bank from its TOML text, checking that every text is complete.

        Raises:
            InvalidInput: the file is not a complete question bank; the message
                names the first problem.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = f"the question bank is not valid TOML: {exc}"
            raise InvalidInput(msg) from None
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QuestionBank:
        """Read a bank from its parsed data, checking that every text is complete.

        Raises:
            InvalidInput: the data is not a complete question bank; the message
                names the first problem.
        """
        return _Reader(data).bank()


@functools.cache
def default_bank() -> QuestionBank:
    """The question bank shipped with the package."""
    text = (
        importlib.resources.files("untoc_core.checklists")
        .joinpath("data/bank.toml")
        .read_text(encoding="utf-8")
    )
    return QuestionBank.from_toml(text)


@attrs.define
class _Reader:
    """Reads and checks the TOML of a bank; every problem names where it is."""

    data: Mapping[str, Any]
    languages: tuple[str, ...] = ()

    def bank(self) -> QuestionBank:
        if self.data.get("format") != BANK_FORMAT:
            self._fail(f"its format is not {BANK_FORMAT!r}")
        languages = self.data.get("languages")
        if not isinstance(languages, list) or not languages:
            self._fail("it names no languages")
        self.languages = tuple(str(x) for x in languages)
        version = self.data.get("version")
        if not isinstance(version, str) or not version.strip():
            self._fail("it has no version")
        choices = {
            cid: self._choice_list(cid, raw)
            for cid, raw in dict(self.data.get("choices", {})).items()
        }
        labels = dict(self.data.get("labels", {}))
        for key in LABEL_KEYS:
            if key not in labels:
                self._fail(f"it has no label {key!r}")
        types = {
            str(k): str(v) for k, v in dict(self.data.get("article_types", {})).items()
        }
        default_type = str(self.data.get("default_article_type", ""))
        general = tuple(
            self._question(f"general {i + 1}", q, choices, worded_by_type=False)
            for i, q in enumerate(self.data.get("general", []))
        )
        article = tuple(
            self._question(f"article question {i + 1}", q, choices, worded_by_type=True)
            for i, q in enumerate(self.data.get("article", []))
        )
        follow_up = tuple(
            self._question(f"follow-up {i + 1}", q, choices, worded_by_type=False)
            for i, q in enumerate(self.data.get("follow_up", []))
        )
        article_types = {default_type, *types.values()}
        for q in article:
            missing = sorted(article_types - set(q.text))
            if missing:
                self._fail(f"article question {q.kind!r} has no wording for {missing}")
        for where, questions in (("general", general), ("article", article)):
            kinds = [q.kind for q in questions]
            if len(set(kinds)) != len(kinds):
                self._fail(f"two {where} questions share an id")
        return QuestionBank(
            version=version,
            languages=self.languages,
            right_to_left=frozenset(str(x) for x in self.data.get("right_to_left", [])),
            article_types=types,
            default_article_type=default_type,
            labels={k: self._localised(f"label {k!r}", v) for k, v in labels.items()},
            choices=choices,
            general=general,
            article=article,
            follow_up=follow_up,
        )

    def _choice_list(self, cid: str, raw: Any) -> ChoiceList:
        values = tuple(str(v) for v in raw.get("values", []))
        if not values:
            self._fail(f"the choice list {cid!r} has no values")
        labels = raw.get("labels", {})
        return ChoiceList(
            id=cid,
            values=values,
            labels={
                v: self._localised(f"choice {cid}.{v}", labels.get(v)) for v in values
            },
        )

    def _question(
        self,
        where: str,
        raw: Any,
        choices: Mapping[str, ChoiceList],
        *,
        worded_by_type: bool,
    ) -> BankQuestion:
        kind = str(raw.get("id") or raw.get("kind") or "")
        if not kind:
            self._fail(f"{where} has no id or kind")
        try:
            answer = AnswerKind(raw.get("answer", ""))
        except ValueError:
            self._fail(f"{where} ({kind}) has no answer type text, date or choice")
        choice = str(raw.get("choices", ""))
        if (answer is AnswerKind.CHOICE) != bool(choice) or (
            choice and choice not in choices
        ):
            self._fail(f"{where} ({kind}) names no list of choices it can use")
        text = raw.get("text", {})
        if worded_by_type:
            wording = {
                str(t): self._localised(f"{where} ({kind}), {t}", v)
                for t, v in dict(text).items()
            }
        else:
            wording = {"": self._localised(f"{where} ({kind})", text)}
        return BankQuestion(
            kind=kind,
            group=str(raw.get("group", "")),
            answer=answer,
            required=bool(raw.get("required", False)),
            choices=choice,
            text=wording,
            guidance=self._localised(f"{where} ({kind}) guidance", raw.get("guidance")),
            applies_to=tuple(str(x) for x in raw.get("applies_to", [])),
        )

    def _localised(self, where: str, raw: Any) -> Localised:
        if not isinstance(raw, Mapping):
            self._fail(f"{where} is not worded in any language")
        missing = [
            lang
            for lang in self.languages
            if not isinstance(raw.get(lang), str) or not raw[lang].strip()
        ]
        if missing:
            self._fail(f"{where} is not worded in {', '.join(missing)}")
        return {lang: str(raw[lang]) for lang in self.languages}

    def _fail(self, problem: str) -> NoReturn:
        msg = f"the question bank is incomplete: {problem}"
        raise InvalidInput(msg)
