"""Translations and publication of the documents the mechanism publishes (ToR 35, 51).

Executive summaries, the thematic implementation report and the technical expert
group report are published in all six official languages, as documents for
information only. Each language version is tracked on ``publication/<document>``:
requested, delivered (its SHA-256), checked (by whom). Publication is refused
until every language is delivered and checked, naming the languages missing, and,
for an executive summary, until the three States agreed to it (ToR 35, GL 34).
The publication records each version's SHA-256 and the secretariat's signature
over them, so anyone can check a published text.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, Final

import attrs

from untoc_core.canonical import canonical_json
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.events import Event

STREAM_PREFIX: Final = "publication/"
LANGUAGES: Final = ("ar", "zh", "en", "fr", "ru", "es")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DOCUMENT = re.compile(
    r"(summary/cycle-[1-9][0-9]*/[A-Z]{3}"
    r"|thematic/cycle-[1-9][0-9]*/[a-z0-9-]+(/[a-z-]+)?"
    r"|expert-group/cycle-[1-9][0-9]*/year-[1-9][0-9]*)"
)


class DocumentKind(enum.StrEnum):
    """What is published."""

    EXECUTIVE_SUMMARY = "summary"
    THEMATIC_REPORT = "thematic"
    EXPERT_GROUP_REPORT = "expert-group"


class PublicationRefused(DomainError):
    """An executive summary is published too early (ToR 35).

    It needs all six languages, delivered and checked, and the agreement of the
    three States.
    """

    provision = "ToR-35"


class PublicationIncomplete(DomainError):
    """A thematic or expert group report lacks one of the six languages (ToR 51)."""

    provision = "ToR-51"


def stream_of(document: str) -> str:
    """The stream of a published document: ``publication/<document>``."""
    return f"{STREAM_PREFIX}{document}"


def check_document(document: str) -> DocumentKind:
    """The kind of a document id; ``InvalidInput`` for anything else.

    Ids: ``summary/cycle-1/ARC``, ``thematic/cycle-1/<theme>`` (with
    ``/<regional group>`` for an addendum) and ``expert-group/cycle-1/year-2``.
    """
    if not _DOCUMENT.fullmatch(document):
        msg = (
            f"{document!r} is not a document id such as summary/cycle-1/ARC, "
            "thematic/cycle-1/criminalization or expert-group/cycle-1/year-2"
        )
        raise InvalidInput(msg)
    return DocumentKind(document.split("/", 1)[0])


class LanguageRefused(DomainError):
    """A document in a language that is not a working language (ToR 48)."""

    provision = "ToR-48"


def check_language(language: str) -> str:
    """Return ``language`` if it is one of the six; else ``LanguageRefused``."""
    if language not in LANGUAGES:
        msg = (
            f"{language!r} is not a working language of the mechanism: "
            f"{', '.join(LANGUAGES)}"
        )
        raise LanguageRefused(msg)
    return language


@attrs.frozen(kw_only=True)
class TranslationOrdered(Event):
    """The secretariat ordered a language version of a document."""

    TYPE: ClassVar[str] = "publication.TranslationOrdered"

    document: str
    language: str


@attrs.frozen(kw_only=True)
class TranslationDelivered(Event):
    """A language version was delivered; its text is named by its SHA-256."""

    TYPE: ClassVar[str] = "publication.TranslationDelivered"

    document: str
    language: str
    sha256: str


@attrs.frozen(kw_only=True)
class TranslationChecked(Event):
    """A language version was checked against the original, by ``checked_by``."""

    TYPE: ClassVar[str] = "publication.TranslationChecked"

    document: str
    language: str
    sha256: str
    checked_by: str


@attrs.frozen(kw_only=True)
class LanguageVersion:
    """One language version of a published document."""

    language: str
    sha256: str


@attrs.frozen(kw_only=True)
class DocumentPublished(Event):
    """A document was published in all six languages, for information only.

    ``signature`` is the publisher's Ed25519 signature (base64) over
    :func:`publication_message`.
    """

    TYPE: ClassVar[str] = "publication.DocumentPublished"

    document: str
    versions: tuple[LanguageVersion, ...]
    published_by: str
    signature: str


PUBLICATION_EVENTS: Final = (
    TranslationOrdered,
    TranslationDelivered,
    TranslationChecked,
    DocumentPublished,
)


def publication_message(document: str, versions: Sequence[LanguageVersion]) -> bytes:
    """The bytes a publication's signature covers: the document and each version."""
    return canonical_json(
        {
            "purpose": "untoc publication",
            "document": document,
            "versions": {v.language: v.sha256 for v in versions},
        }
    )


class Status(enum.StrEnum):
    """Where one language version stands."""

    NONE = "none"
    ORDERED = "ordered"
    DELIVERED = "delivered"
    CHECKED = "checked"


@attrs.frozen(kw_only=True)
class Publication:
    """The translations and publication of one document.

    Attributes:
        document: The document id.
        version: The version of its stream.
        ordered: The languages ordered.
        delivered: The SHA-256 of the latest version delivered, by language.
        checked: The SHA-256 checked, by language.
        published: The publication, once made.
    """

    document: str
    version: int = 0
    ordered: frozenset[str] = frozenset()
    delivered: Mapping[str, str] = attrs.field(factory=dict)
    checked: Mapping[str, str] = attrs.field(factory=dict)
    published: DocumentPublished | None = None

    def status(self, language: str) -> Status:
        """Where the ``language`` version stands."""
        delivered = self.delivered.get(language)
        if delivered and self.checked.get(language) == delivered:
            return Status.CHECKED
        if delivered:
            return Status.DELIVERED
        return Status.ORDERED if language in self.ordered else Status.NONE

    def missing(self) -> tuple[str, ...]:
        """The languages not yet delivered and checked, in the official order."""
        return tuple(x for x in LANGUAGES if self.status(x) is not Status.CHECKED)


def evolve(state: Publication, event: Event, version: int) -> Publication:
    """The publication after ``event`` at stream ``version``."""
    state = attrs.evolve(state, version=version)
    match event:
        case TranslationOrdered():
            return attrs.evolve(state, ordered=state.ordered | {event.language})
        case TranslationDelivered():
            return attrs.evolve(
                state, delivered={**state.delivered, event.language: event.sha256}
            )
        case TranslationChecked():
            return attrs.evolve(
                state, checked={**state.checked, event.language: event.sha256}
            )
        case DocumentPublished():
            return attrs.evolve(state, published=event)
    return state


def replay(document: str, events: Iterable[tuple[int, Event]]) -> Publication:
    """A publication from its stream's ``(version, event)`` pairs."""
    state = Publication(document=document)
    for version, event in events:
        state = evolve(state, event, version)
    return state


def decide_translation(state: Publication, event: Event) -> tuple[Event, ...]:
    """Check a translation step; return the events recording it.

    Raises:
        InvalidInput: a language outside the six, a malformed SHA-256, a check of
            a version not delivered, or a step after publication.
    """
    if state.published is not None:
        msg = f"{state.document} is published; its versions are final"
        raise InvalidInput(msg)
    language = getattr(event, "language", "")
    check_language(language)
    sha = getattr(event, "sha256", None)
    if sha is not None and not _SHA256.fullmatch(sha):
        msg = "name a language version by the SHA-256 of its text (64 hex digits)"
        raise InvalidInput(msg)
    if isinstance(event, TranslationChecked) and state.delivered.get(language) != sha:
        msg = f"the {language} version with that SHA-256 was not delivered"
        raise InvalidInput(msg)
    return (event,)


def decide_publication(
    state: Publication, *, agreed: bool, published_by: str, signature: str
) -> DocumentPublished:
    """Publish a document whose six versions are delivered and checked.

    Args:
        state: The document's translations.
        agreed: For an executive summary, whether the three States agreed to it.
        published_by: The publisher (the secretariat).
        signature: The publisher's signature over :func:`publication_message`.

    Raises:
        PublicationRefused: an executive summary misses a language or is not
            agreed (ToR-35); the message names the languages.
        PublicationIncomplete: another document misses a language (ToR-51).
        InvalidInput: published already.
    """
    if state.published is not None:
        msg = f"{state.document} is published already"
        raise InvalidInput(msg)
    kind = check_document(state.document)
    refusal = (
        PublicationRefused
        if kind is DocumentKind.EXECUTIVE_SUMMARY
        else PublicationIncomplete
    )
    missing = state.missing()
    if missing:
        words = ", ".join(
            f"{language} ({state.status(language).value})" for language in missing
        )
        msg = (
            f"{state.document} is published only in all six official languages, "
            f"each delivered and checked; missing: {words}"
        )
        raise refusal(msg)
    if kind is DocumentKind.EXECUTIVE_SUMMARY and not agreed:
        msg = (
            f"{state.document} is published only once the party under review and "
            "both reviewing States agreed to it"
        )
        raise PublicationRefused(msg)
    return DocumentPublished(
        document=state.document,
        versions=versions_of(state),
        published_by=published_by,
        signature=signature,
    )


def versions_of(state: Publication) -> tuple[LanguageVersion, ...]:
    """The checked version of each language, in the official order."""
    return tuple(
        LanguageVersion(language=x, sha256=state.checked[x])
        for x in LANGUAGES
        if x in state.checked
    )
