"""Reports from what was recorded: facts gathered through the vault, then rendered.

The core builds each document (:mod:`untoc_core.reports`) from facts; this module
gathers the facts a principal may see, and renders the result:

* :func:`country_document`: the country review report of a review, opening the
  checklist's answers and the findings' texts with the principal's grant;
* :func:`summary_document`: a review's executive summary in one language: the
  delivered translation when there is one, else section III of the report;
* :func:`compiled_findings`: the findings of a cycle's finalised reports, with
  every State's name and code removed, for the thematic and expert group reports;
* :func:`thematic_document`, :func:`expert_group_document`,
  :func:`performance_document`;
* :func:`deliver_translation` and :func:`publish`: the six language versions of a
  published document (ToR 35, 51), filed, checked and signed;
* :func:`render`: a document as DOCX, HTML or PDF bytes.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Sequence

from untoc_adapters import checklists as desk
from untoc_adapters.cli.cycle import cycle_performance
from untoc_adapters.render.docx import render_docx
from untoc_adapters.render.html import render_html
from untoc_adapters.render.messages import word
from untoc_adapters.render.pdf import render_pdf
from untoc_adapters.render.plain import PlainDocument
from untoc_adapters.vault import Vault
from untoc_core.confidentiality import AccessDenied, Scope
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.instruments import ArticleRef, article_catalogue
from untoc_core.mechanism import Mechanism
from untoc_core.ports import NewEvents, Recorded
from untoc_core.reports import compiled, country, oversight
from untoc_core.reports import publication as pub
from untoc_core.reports.acronyms import check_acronyms
from untoc_core.reports.document import (
    Block,
    Content,
    Document,
    Marking,
    Msg,
    Paragraph,
)
from untoc_core.reviews import events as review_events
from untoc_core.reviews.model import CountryReview
from untoc_core.terms import Language


class Format(enum.StrEnum):
    """The formats a document is rendered in."""

    DOCX = "docx"
    HTML = "html"
    PDF = "pdf"


def render(document: Document, fmt: Format) -> bytes:
    """``document`` worded in its language and rendered in ``fmt``."""
    return render_plain(word(document), fmt)


def render_plain(plain: PlainDocument, fmt: Format) -> bytes:
    """A worded document rendered in ``fmt`` (a pure function: safe in a worker)."""
    match fmt:
        case Format.DOCX:
            return render_docx(plain)
        case Format.HTML:
            return render_html(plain).encode("utf-8")
        case Format.PDF:
            return render_pdf(plain)


def check_language(language: str) -> str:
    """Return ``language`` if it is one of the six official ones (ToR 48)."""
    return pub.check_language(language)


# -- one review ------------------------------------------------------------------------


def _review_events(mechanism: Mechanism, review: str) -> tuple[Event, ...]:
    return tuple(
        r.event for r in mechanism.store.read_stream(review_events.stream_of(review))
    )


def working_language(events: Sequence[Event]) -> str:
    """The review's first agreed working language, else English."""
    for event in events:
        if isinstance(event, review_events.WorkingLanguagesAgreed) and event.languages:
            return event.languages[0]
    return "en"


def _articles(mechanism: Mechanism, state: CountryReview) -> tuple[ArticleRef, ...]:
    checklist = mechanism.checklist(state.review)
    asked = {
        ArticleRef.parse(q.article)
        for q in checklist.questions
        if q.article and q.sheet != "follow-up"
    }
    if asked:
        return tuple(sorted(asked))
    opened = state.opened
    if opened is None:
        msg = f"the country review {state.review} is not open"
        raise InvalidInput(msg)
    conference = mechanism.conference()
    bound = set(
        mechanism.registry().instruments_under_review(opened.party_under_review)
    )
    return tuple(a for a in conference.scope(opened.cycle) if a.instrument in bound)


def _finding_texts(
    vault: Vault, as_principal: str, state: CountryReview
) -> dict[str, str]:
    return {
        f.finding_id: vault.read_text(
            as_principal, state.review, Scope.DOSSIER, f.section
        )
        for f in state.findings.values()
    }


def report_facts(
    vault: Vault, as_principal: str, review: str, *, today: dt.date
) -> country.ReportFacts:
    """Everything the country review report of ``review`` is built from.

    The checklist's answers and the findings' texts are opened as
    ``as_principal``; each read is decided and logged.

    Raises:
        AccessDenied: the principal may not read the review's dossier (ToR-30).
        InvalidInput: the review is not open.
    """
    mechanism = vault.mechanism
    state = mechanism.country_review(review)
    if state.opened is None:
        msg = f"the country review {review} is not open"
        raise InvalidInput(msg)
    events = _review_events(mechanism, review)
    mechanism.decide_access(as_principal, review, Scope.DOSSIER)
    draft = desk.current_draft(vault, as_principal, review)
    registry = mechanism.registry()
    experts = tuple(
        e.name for code in state.reviewers for e in registry.experts(party=code)
    )
    return country.ReportFacts(
        review=state,
        events=events,
        cycle=mechanism.conference().cycle(state.opened.cycle),
        registry=registry,
        articles=_articles(mechanism, state),
        catalogue=article_catalogue(),
        answers=draft.answers if draft else {},
        answers_language=draft.language if draft else "en",
        findings=_finding_texts(vault, as_principal, state),
        findings_language=working_language(events),
        experts=experts,
        produced_on=today,
    )


def country_document(
    vault: Vault, as_principal: str, review: str, *, language: str, today: dt.date
) -> Document:
    """The country review report of ``review`` in ``language`` (confidential)."""
    check_language(language)
    facts = report_facts(vault, as_principal, review, today=today)
    return country.country_report(facts, language)


def summary_section(review: str, language: str) -> str:
    """The material section holding the ``language`` version of the summary."""
    return f"summary-{language}-{review.replace('/', '-')}"


def summary_document(
    vault: Vault, as_principal: str, review: str, *, language: str, today: dt.date
) -> Document:
    """The executive summary of ``review`` in ``language``.

    The delivered ``language`` version when there is one; else section III of the
    report, its findings in the language they were written in (and marked).
    """
    check_language(language)
    material = vault.mechanism.review_material(review)
    section = summary_section(review, language)
    facts = report_facts(vault, as_principal, review, today=today)
    delivered = None
    if material.latest(Scope.EXECUTIVE_SUMMARY, section) is not None:
        delivered = vault.read(
            as_principal, review, Scope.EXECUTIVE_SUMMARY, section
        ).decode("utf-8")
    return summary_from(facts, language, today=today, delivered=delivered)


def summary_from(
    facts: country.ReportFacts,
    language: str,
    *,
    today: dt.date,
    delivered: str | None = None,
) -> Document:
    """The executive summary in ``language`` from a report's facts.

    Args:
        facts: What the country review report is built from.
        language: The summary's language.
        today: The day it is produced.
        delivered: The text of the ``language`` version delivered, if any; else
            the summary is section III of the report.
    """
    check_language(language)
    title = Msg(
        id="summary.title",
        params={
            "state": facts.registry.entry(facts.review.party_under_review).name(
                Language(language)
            ),
            "cycle": facts.cycle.number,
        },
    )
    blocks: tuple[Block, ...]
    if delivered is not None:
        blocks = tuple(
            Paragraph(text=(Content(text=p, language=language),))
            for p in delivered.split("\n\n")
            if p.strip()
        )
    else:
        blocks = country.summary_blocks(facts, language)
    return Document(
        kind="executive-summary",
        language=language,
        title=(title,),
        marking=Marking.CONFIDENTIAL,
        blocks=blocks,
        dated=today,
    )


def deliver_translation(
    vault: Vault, as_principal: str, review: str, *, language: str, text: str
) -> Recorded:
    """File the ``language`` version of a review's executive summary and record it.

    The text is sealed in the review's ``summary`` scope and its SHA-256 recorded
    as delivered, in one transaction.

    Raises:
        InvalidInput: a language outside the six, or empty text.
        AcronymUndefined: the text uses an abbreviation before defining it
            (GL-22).
        AccessDenied: the principal may not file in the summary scope (ToR-30).
    """
    check_language(language)
    if not text.strip():
        msg = "a language version has text"
        raise InvalidInput(msg)
    check_acronyms(text, f"the {language} version of the executive summary")
    mechanism = vault.mechanism
    document = f"summary/{review}"
    state = mechanism.publication(document)
    content = text.encode("utf-8")
    event = pub.TranslationDelivered(
        document=document, language=language, sha256=hashlib.sha256(content).hexdigest()
    )
    pub.decide_translation(state, event)
    record = NewEvents(
        stream=pub.stream_of(document), expected_version=state.version, events=(event,)
    )
    return mechanism.file_material(
        as_principal,
        review,
        Scope.EXECUTIVE_SUMMARY,
        summary_section(review, language),
        vault.sealer(as_principal, review, Scope.EXECUTIVE_SUMMARY, content),
        also=[record],
    )


def publish(
    vault: Vault, document: str, *, as_principal: str = "secretariat"
) -> list[Recorded]:
    """Publish ``document`` in the six languages, signed by ``as_principal``.

    Raises:
        PublicationRefused: an executive summary lacks a language or agreement
            (ToR-35).
        PublicationIncomplete: another document lacks a language (ToR-51).
    """
    mechanism = vault.mechanism
    state = mechanism.publication(document)
    versions = pub.versions_of(state)
    signature = vault.sign(as_principal, pub.publication_message(document, versions))
    return mechanism.publish_document(
        document, published_by=as_principal, signature=signature
    )


# -- across a cycle --------------------------------------------------------------------


def compiled_findings(
    vault: Vault, as_principal: str, cycle: int
) -> tuple[list[compiled.CompiledFinding], int]:
    """The findings of the cycle's finalised reports, redacted, and how many reports.

    Raises:
        AccessDenied: the principal may not read a finalised review's dossier.
    """
    mechanism = vault.mechanism
    registry = mechanism.registry()
    names, codes = oversight.names_of_states(registry)
    conference = mechanism.conference()
    theme_of = {
        str(ref): cid
        for cid in conference.cycle(cycle).clusters
        for ref in conference.clusters[cid].articles
    }
    out: list[compiled.CompiledFinding] = []
    redacted: dict[str, str] = {}  # many findings share a text: redacted once each
    reports = 0
    for state in reviews_of(mechanism, cycle):
        if not state.final:
            continue
        reports += 1
        group = registry.entry(state.party_under_review).regional_group
        language = working_language(_review_events(mechanism, state.review))
        for finding in state.findings.values():
            text = vault.read_text(
                as_principal, state.review, Scope.DOSSIER, finding.section
            )
            if text not in redacted:
                redacted[text] = compiled.redact(text, names, codes)
            out.append(
                compiled.CompiledFinding(
                    review=state.review,
                    regional_group=group.value if group else "",
                    theme=theme_of.get(finding.article, ""),
                    article=finding.article,
                    kind=finding.kind,
                    text=redacted[text],
                    language=language,
                )
            )
    return out, reports


def reviews_of(mechanism: Mechanism, cycle: int) -> list[CountryReview]:
    """The opened reviews of a cycle, in the registry's code order.

    Every State in the registry is looked up, so reviews opened by any means
    (recorded draws, or imported) are found.
    """
    found = []
    for code in sorted(mechanism.registry().entries):
        state = mechanism.country_review(f"cycle-{cycle}/{code}")
        if state.opened is not None:
            found.append(state)
    return found


def _themes(mechanism: Mechanism, cycle: int) -> list[tuple[str, str]]:
    conference = mechanism.conference()
    return [
        (cid, conference.clusters[cid].title)
        for cid in conference.cycle(cycle).clusters
    ]


def thematic_document(  # noqa: PLR0913 - the report and its options
    vault: Vault,
    as_principal: str,
    cycle: int,
    *,
    language: str,
    today: dt.date,
    group: str = "",
    compilation: tuple[list[compiled.CompiledFinding], int] | None = None,
) -> Document:
    """The thematic implementation report of a cycle, or an addendum (ToR 34).

    ``compilation`` is :func:`compiled_findings` already made (several documents
    of one cycle need it); without it, it is made here.
    """
    check_language(language)
    findings, reports = compilation or compiled_findings(vault, as_principal, cycle)
    themes = [
        (cid, Content(text=t, language="en"))
        for cid, t in _themes(vault.mechanism, cycle)
    ]
    return compiled.thematic_report(
        findings,
        cycle=cycle,
        themes=themes,
        reports=reports,
        language=language,
        produced_on=today,
        group=group,
    )


def expert_group_document(  # noqa: PLR0913 - the report and its options
    vault: Vault,
    as_principal: str,
    cycle: int,
    *,
    year: int,
    language: str,
    today: dt.date,
    compilation: tuple[list[compiled.CompiledFinding], int] | None = None,
) -> Document:
    """The technical expert group report of a year of a cycle (ToR 37 sexies).

    Built from the compilation (``compilation``, or made here) and the published
    executive summaries, and the other information the group recorded; never
    from a country review report.
    """
    check_language(language)
    mechanism = vault.mechanism
    findings, _ = compilation or compiled_findings(vault, as_principal, cycle)
    summaries = sum(
        1
        for state in reviews_of(mechanism, cycle)
        if mechanism.publication(f"summary/{state.review}").published is not None
    )
    information = [
        Content(text=i.text, language=i.language)
        for i in mechanism.oversight(cycle).information
        if i.year == year
    ]
    groups = sorted({f.regional_group for f in findings if f.regional_group})
    return compiled.expert_group_report(
        findings,
        cycle=cycle,
        year=year,
        summaries=summaries,
        other_information=information,
        groups=groups,
        language=language,
        produced_on=today,
    )


def performance_document(
    mechanism: Mechanism, cycle: int, *, language: str, today: dt.date
) -> Document:
    """The performance of the mechanism in a cycle (ToR 46)."""
    check_language(language)
    figures = cycle_performance(mechanism, cycle, today)
    return compiled.performance_report(
        figures, cycle=cycle, language=language, produced_on=today
    )


__all__ = [
    "AccessDenied",
    "Format",
    "compiled_findings",
    "country_document",
    "deliver_translation",
    "expert_group_document",
    "performance_document",
    "publish",
    "render",
    "render_plain",
    "report_facts",
    "summary_document",
    "summary_from",
    "thematic_document",
]
