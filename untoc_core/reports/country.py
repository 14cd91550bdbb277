"""The country review report, per the blueprint (appendix II; ToR 25, 32; GL 30-31).

:func:`country_report` builds the report of one review, in one language, from
what was recorded: the review's events (process, dialogue, findings), the
registry (names, ratification), the checklist's answers and the findings' texts
(opened by the caller, who may read them), and the instruments' articles. Its
title and sections I to IV follow the blueprint; section IV has, for each article,
its title and text and the five parts (a) to (e). The fixed words are messages,
worded by an adapter; recorded text keeps the language it was written in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from untoc_core.conference.model import Cycle
from untoc_core.events import Event
from untoc_core.instruments import ArticleCatalogue, ArticleRef
from untoc_core.registry.model import Registry
from untoc_core.reports.document import (
    Block,
    Content,
    Document,
    Heading,
    Items,
    Marking,
    Msg,
    Paragraph,
    Style,
    Text,
)
from untoc_core.reviews.events import (
    Channel,
    DialogueExchanged,
    DirectDialogueHeld,
    FindingKind,
    FindingRecorded,
)
from untoc_core.reviews.model import CountryReview
from untoc_core.terms import Instrument, Language

PARTS: tuple[tuple[str, FindingKind | None], ...] = (
    ("bp.a", None),
    ("bp.b", FindingKind.OBSERVATION),
    ("bp.c", FindingKind.GOOD_PRACTICE),
    ("bp.d", FindingKind.CHALLENGE),
    ("bp.e", FindingKind.TECHNICAL_ASSISTANCE_NEED),
)
"""The five parts of each article (BP 11-16): the checklist's information, then
the findings of each kind."""
SUMMARY_PARTS: tuple[tuple[str, FindingKind], ...] = (
    ("bp.III.a", FindingKind.GOOD_PRACTICE),
    ("bp.III.b", FindingKind.CHALLENGE),
    ("bp.III.c", FindingKind.OBSERVATION),
    ("bp.III.d", FindingKind.TECHNICAL_ASSISTANCE_NEED),
)
INFORMATION_KINDS = ("legislation", "practice", "cases", "statistics")
"""The checklist answers that make up an article's summary of information."""


@attrs.frozen(kw_only=True)
class ReportFacts:
    """What a country review report is built from.

    Attributes:
        review: The review, as recorded.
        events: The review's events, in order (for the dialogue and the visit).
        cycle: The review cycle.
        registry: The registry (names in six languages, ratification dates).
        articles: The articles under review, in order.
        catalogue: The instruments' articles (titles and texts, in English).
        answers: The checklist's latest answers, by question id.
        answers_language: The language the answers were given in.
        findings: The text of each finding, by finding id.
        findings_language: The language the findings were written in.
        experts: The names of the governmental experts involved.
        produced_on: The day the report is produced.
    """

    review: CountryReview
    events: tuple[Event, ...]
    cycle: Cycle
    registry: Registry
    articles: tuple[ArticleRef, ...]
    catalogue: ArticleCatalogue
    answers: Mapping[str, str] = attrs.field(factory=dict)
    answers_language: str = "en"
    findings: Mapping[str, str] = attrs.field(factory=dict)
    findings_language: str = "en"
    experts: tuple[str, ...] = ()
    produced_on: dt.date


def join(items: Sequence[Text]) -> Text:
    """``A``, ``A and B``, ``A, B and C`` (worded in the document's language)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    first: Text = items[0]
    for item in items[1:-1]:
        first = Msg(id="list.comma", params={"first": first, "next": item})
    return Msg(id="list.and", params={"first": first, "last": items[-1]})


def country_report(facts: ReportFacts, language: str) -> Document:
    """The country review report of ``facts.review`` in ``language``."""
    builder = _Builder(facts, Language(language))
    return Document(
        kind="country-report",
        language=language,
        title=(builder.title(),),
        marking=Marking.CONFIDENTIAL,
        blocks=builder.blocks(),
        dated=facts.produced_on,
    )


def summary_blocks(facts: ReportFacts, language: str) -> tuple[Block, ...]:
    """Section III of the report (its executive summary) alone, in ``language``."""
    builder = _Builder(facts, Language(language))
    builder.summary()
    return tuple(builder.out[1:])


@attrs.define
class _Builder:
    facts: ReportFacts
    language: Language
    out: list[Block] = attrs.Factory(list)
    number: int = 0

    # -- names ---------------------------------------------------------------------

    def name(self, code: str) -> str:
        return self.facts.registry.entry(code).name(self.language)

    @property
    def state(self) -> str:
        return self.name(self.facts.review.party_under_review)

    def reviewers(self) -> Text:
        return join([self.name(c) for c in self.facts.review.reviewers])

    # -- title (BP title) ----------------------------------------------------------

    def title(self) -> Msg:
        parts: list[Text] = []
        for instrument in Instrument:
            numbers = [
                str(a.number) for a in self.facts.articles if a.instrument is instrument
            ]
            if not numbers:
                continue
            one = len(numbers) == 1
            if instrument is Instrument.UNTOC:
                message = "bp.title.article" if one else "bp.title.articles"
                params: dict[str, object] = {"numbers": join(numbers)}
            else:
                message = "bp.title.protocol.article" if one else "bp.title.protocol"
                params = {
                    "numbers": join(numbers),
                    "protocol": Msg(id=f"instrument.{instrument.value}"),
                }
            parts.append(Msg(id=message, params=params))
        cycle = Msg(
            id="bp.cycle",
            params={
                "start": self.facts.cycle.starts_on,
                "end": self.facts.cycle.ends_on,
            },
        )
        return Msg(
            id="bp.title",
            params={
                "reviewers": self.reviewers(),
                "state": self.state,
                "articles": join(parts),
                "cycle": cycle,
            },
        )

    # -- blocks --------------------------------------------------------------------

    def blocks(self) -> tuple[Block, ...]:
        self.introduction()
        self.process()
        self.summary()
        self.implementation()
        return tuple(self.out)

    def heading(self, level: int, *text: Text) -> None:
        self.out.append(Heading(level=level, text=tuple(text)))

    def paragraph(self, *text: Text, style: Style = Style.BODY) -> None:
        self.number += 1
        self.out.append(Paragraph(text=tuple(text), number=self.number, style=style))

    def note(self) -> None:
        self.out.append(Paragraph(text=(Msg(id="content.none"),), style=Style.NOTE))

    def introduction(self) -> None:
        self.heading(1, Msg(id="bp.I"))
        for n in range(1, 5):
            self.paragraph(Msg(id=f"bp.I.{n}"))

    def process(self) -> None:
        self.heading(1, Msg(id="bp.II"))
        means = self._means()
        states = join(
            [self.state, *(self.name(c) for c in self.facts.review.reviewers)]
        )
        experts: Text = (
            join(list(self.facts.experts))
            if self.facts.experts
            else Msg(id="experts.none")
        )
        self.paragraph(
            Msg(
                id="bp.II.5",
                params={
                    "state": self.state,
                    "states": states,
                    "means": join([Msg(id=f"means.{m}") for m in means]),
                    "experts": experts,
                },
            )
        )
        for event in self.facts.events:
            if isinstance(event, DirectDialogueHeld):
                kind = "visit" if event.kind.value == "country_visit" else "joint"
                self.paragraph(
                    Msg(
                        id=f"bp.II.6.{kind}",
                        params={
                            "state": self.state,
                            "reviewers": self.reviewers(),
                            "start": event.starts,
                            "end": event.ends,
                        },
                    )
                )

    def _means(self) -> list[str]:
        found: list[str] = []
        for event in self.facts.events:
            if isinstance(event, DialogueExchanged) and event.channel in {
                Channel.CALL,
                Channel.VIDEO,
                Channel.EMAIL,
            }:
                found.append(event.channel.value)
            if isinstance(event, DirectDialogueHeld):
                found.append(event.kind.value)
        order = ["call", "video", "email", "country_visit", "joint_meeting"]
        return [m for m in order if m in found] or ["email"]

    def summary(self) -> None:
        self.heading(1, Msg(id="bp.III"))
        for title, kind in SUMMARY_PARTS:
            self.heading(2, Msg(id=title))
            findings = [f for f in self._findings() if f.kind is kind]
            self._finding_items(findings)

    def implementation(self) -> None:
        self.heading(1, Msg(id="bp.IV"))
        self.ratification()
        self.legal_system()
        for instrument in Instrument:
            articles = [a for a in self.facts.articles if a.instrument is instrument]
            if not articles:
                continue
            if instrument is Instrument.UNTOC:
                self.heading(2, Msg(id="bp.IV.C"))
            else:
                self.heading(
                    2,
                    Msg(
                        id="bp.IV.D",
                        params={"protocol": Msg(id=f"instrument.{instrument.value}")},
                    ),
                )
            for ref in articles:
                self.article(ref)

    def ratification(self) -> None:
        self.heading(2, Msg(id="bp.IV.A"))
        entry = self.facts.registry.entry(self.facts.review.party_under_review)
        for instrument in Instrument:
            standing = entry.standing(instrument)
            named = Msg(id=f"instrument.{instrument.value}")
            if standing.signed is not None:
                self.paragraph(
                    Msg(
                        id="bp.IV.A.signed",
                        params={
                            "state": self.state,
                            "instrument": named,
                            "date": _day(standing.signed),
                        },
                    )
                )
            if standing.deposited is not None:
                self.paragraph(
                    Msg(
                        id="bp.IV.A.deposit",
                        params={"state": self.state, "date": _day(standing.deposited)},
                    )
                )
        answers = self.facts.answers
        law = [
            answers.get(f"general/{k}", "")
            for k in (
                "implementing-law-title",
                "adopting-body",
                "adoption-date",
                "publication",
            )
        ]
        if all(law):
            title, body, adopted, published = law
            self.paragraph(
                Msg(
                    id="bp.IV.A.law",
                    params={
                        "title": self._answer(title),
                        "body": self._answer(body),
                        "date": dt.date.fromisoformat(adopted),
                        "publication": self._answer(published),
                    },
                )
            )

    def legal_system(self) -> None:
        self.heading(2, Msg(id="bp.IV.B", params={"state": self.state}))
        answers = self.facts.answers
        wrote = False
        if answers.get("general/self-executing"):
            self.paragraph(
                Msg(
                    id="bp.IV.B.self",
                    params={
                        "answer": Msg(id=f"answer.{answers['general/self-executing']}")
                    },
                )
            )
            wrote = True
        if answers.get("general/treaty-rank"):
            self.paragraph(
                Msg(
                    id="bp.IV.B.rank",
                    params={"answer": Msg(id=f"rank.{answers['general/treaty-rank']}")},
                )
            )
            wrote = True
        if answers.get("general/legal-system-notes"):
            self.paragraph(self._answer(answers["general/legal-system-notes"]))
            wrote = True
        if not wrote:
            self.note()

    def article(self, ref: ArticleRef) -> None:
        self.heading(3, Msg(id="article", params={"number": ref.number}))
        article = self.facts.catalogue.articles.get(ref)
        if article is not None:
            self.out.append(
                Paragraph(text=(Content(text=article.title, language="en"),))
            )
            self.out.append(
                Paragraph(
                    text=(Content(text=article.text, language="en"),), style=Style.QUOTE
                )
            )
        for title, kind in PARTS:
            self.out.append(Heading(level=4, text=(Msg(id=title),)))
            if kind is None:
                self.information(ref)
                continue
            findings = [
                f for f in self._findings() if f.kind is kind and f.article == str(ref)
            ]
            if kind is FindingKind.OBSERVATION:
                self.observations(findings)
            else:
                self._finding_paragraphs(findings)

    def information(self, ref: ArticleRef) -> None:
        prefix = f"{ref.instrument.value}-{ref.number}/"
        texts = [self.facts.answers.get(prefix + k, "") for k in INFORMATION_KINDS]
        texts = [t for t in texts if t.strip()]
        if not texts:
            self.note()
        for text in texts:
            self.paragraph(self._answer(text))

    def observations(self, findings: Sequence[FindingRecorded]) -> None:
        """Observations on the law, then on practice (GL 31)."""
        if not findings:
            self.note()
        for aspect in ("law", "practice"):
            for f in findings:
                if f.aspect.value == aspect:
                    self.paragraph(Msg(id=f"aspect.{aspect}"), " ", self._finding(f))

    def _finding_paragraphs(self, findings: Sequence[FindingRecorded]) -> None:
        if not findings:
            self.note()
        for f in findings:
            self.paragraph(self._finding(f))

    def _finding_items(self, findings: Sequence[FindingRecorded]) -> None:
        """One item per distinct text: a finding made on several articles once."""
        texts = tuple(dict.fromkeys(self._finding(f) for f in findings))
        if not texts:
            self.note()
            return
        self.out.append(Items(items=tuple((t,) for t in texts)))

    def _findings(self) -> list[FindingRecorded]:
        return list(self.facts.review.findings.values())

    def _finding(self, finding: FindingRecorded) -> Content:
        text = self.facts.findings.get(finding.finding_id, "")
        return Content(text=text, language=self.facts.findings_language)

    def _answer(self, text: str) -> Content:
        return Content(text=text, language=self.facts.answers_language)


def _day(approx: object) -> dt.date | str:
    year, month, day = (getattr(approx, k) for k in ("year", "month", "day"))
    if month and day:
        return dt.date(year, month, day)
    return str(approx)
