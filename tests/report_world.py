"""Whole country reviews, taken to their final report, for the tests of the reports.

Six fictional States in two regional groups review each other in cycle 1: each
review has checklist answers (in French), a dialogue by video, a country visit for
some, findings of every kind on the articles under review (some alike across
reviews, so that the compilation has something common to list), a final report and
an agreed executive summary. Every text a State's name could leak from names it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

from tests.checklist_world import NOW, open_checklist_world, open_review
from tests.vault_world import World
from untoc_adapters import checklists as desk
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_core.checklists import AnswerKind, default_bank
from untoc_core.confidentiality import Scope
from untoc_core.reviews import events as ev

STATES = {
    "ARC": ("Arcadia", "African States"),
    "BRD": ("Borduria", "African States"),
    "CRP": ("Carpathia", "African States"),
    "DYS": ("Dystopia", "Eastern European States"),
    "ELB": ("Elbonia", "Eastern European States"),
    "FRD": ("Freedonia", "Eastern European States"),
}
REGISTRY = (
    "iso3,name_en,name_fr,untoc_status,un_regional_group,untoc_date,tip\n"
    + "".join(
        f"{code},{name},{name}-fr,party,{group},2003-09-29,party\n"
        for code, (name, group) in STATES.items()
    )
)
REVIEWS = {
    "cycle-1/ARC": ("BRD", "CRP"),
    "cycle-1/BRD": ("CRP", "ARC"),
    "cycle-1/DYS": ("ELB", "FRD"),
    "cycle-1/ELB": ("FRD", "DYS"),
}
COMMON = {
    ev.FindingKind.GOOD_PRACTICE: "A specialised unit prosecutes organized crime.",
    ev.FindingKind.CHALLENGE: "Statistics on convictions are not collected.",
    ev.FindingKind.OBSERVATION: "The offence requires a financial benefit.",
    ev.FindingKind.TECHNICAL_ASSISTANCE_NEED: "Training for judges on investigations.",
}


NAMED = "Extradition requests to Freedonia (FRD) are answered within a month."
"""A good practice every review records, naming a State: compilations must not."""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def answers_for(world: World, review: str, name: str) -> dict[str, str]:
    """A French answer to every question, naming the State under review."""
    bank = default_bank()
    out = {}
    for q in world.vault.mechanism.checklist(review).questions:
        if q.answer is AnswerKind.CHOICE:
            out[q.id] = bank.choices[q.choices].values[0]
        elif q.answer is AnswerKind.DATE:
            out[q.id] = "2004-05-06"
        else:
            out[q.id] = f"Réponse de {name} ({q.id})."
    return out


def complete_review(world: World, review: str, reviewers: tuple[str, str]) -> None:
    """Take ``review`` from its opening to an agreed executive summary."""
    mechanism = world.vault.mechanism
    code = review.split("/")[1]
    name = STATES[code][0]
    open_review(world, review, reviewers)
    mechanism.issue_checklist(review)
    desk.save_answers(
        world.vault,
        code,
        review,
        language="fr",
        answers=answers_for(world, review, name),
    )
    desk.submit(world.vault, code, review, on=dt.date(2026, 3, 2))
    record = mechanism.record_step
    record(
        review,
        ev.WorkingLanguagesAgreed(on=dt.date(2026, 3, 3), languages=("en",)),
        actor="secretariat",
    )
    record(
        review,
        ev.DeskReviewOutcomeSubmitted(on=dt.date(2026, 4, 1)),
        actor=reviewers[0],
    )
    record(review, ev.DialogueOpened(on=dt.date(2026, 4, 6)), actor="secretariat")
    record(
        review,
        ev.DialogueExchanged(
            on=dt.date(2026, 4, 8),
            kind=ev.ExchangeKind.REQUEST_FOR_CLARIFICATION,
            channel=ev.Channel.VIDEO,
            by=reviewers[0],
        ),
        actor="secretariat",
    )
    if code in {"ARC", "DYS"}:
        record(
            review,
            ev.DirectDialogueAgreed(
                on=dt.date(2026, 4, 9), kind=ev.DirectDialogue.COUNTRY_VISIT
            ),
            actor=code,
        )
        record(
            review,
            ev.DirectDialogueHeld(
                kind=ev.DirectDialogue.COUNTRY_VISIT,
                starts=dt.date(2026, 5, 4),
                ends=dt.date(2026, 5, 6),
                stakeholders=("civil society",),
            ),
            actor=code,
        )
    articles = sorted(
        {q.article for q in mechanism.checklist(review).questions if q.article}
    )
    n = 0
    for article in articles[:2]:
        for kind, text in COMMON.items():
            n += 1
            section = f"finding-{n}"
            own = f"{text} In {name} ({code}), this applies to {article}."
            world.vault.file(
                reviewers[0],
                review,
                Scope.DOSSIER,
                section,
                (text if n % 2 else own).encode(),
            )
            record(
                review,
                ev.FindingRecorded(
                    on=dt.date(2026, 5, 11),
                    finding_id=f"{code}-{n}",
                    kind=kind,
                    article=article,
                    aspect=ev.Aspect.PRACTICE if n % 3 else ev.Aspect.LAW,
                    stage=ev.Stage.DESK_REVIEW,
                    section=section,
                ),
                actor=reviewers[0],
            )
    n += 1
    world.vault.file(reviewers[0], review, Scope.DOSSIER, "finding-x", NAMED.encode())
    record(
        review,
        ev.FindingRecorded(
            on=dt.date(2026, 5, 11),
            finding_id=f"{code}-x",
            kind=ev.FindingKind.GOOD_PRACTICE,
            article=articles[0],
            aspect=ev.Aspect.PRACTICE,
            stage=ev.Stage.DESK_REVIEW,
            section="finding-x",
        ),
        actor=reviewers[0],
    )
    draft = sha(f"draft of {review}")
    record(
        review,
        ev.DraftReportSent(on=dt.date(2026, 6, 1), draft_sha256=draft),
        actor="secretariat",
    )
    for state in (code, *reviewers):
        record(
            review,
            ev.ReportAgreed(on=dt.date(2026, 6, 8), draft_sha256=draft, by=state),
            actor=state,
        )
    record(
        review,
        ev.ReportFinalised(on=dt.date(2026, 6, 10), draft_sha256=draft),
        actor="secretariat",
    )
    summary = sha(f"summary of {review}")
    record(
        review,
        ev.ExecutiveSummaryPrepared(on=dt.date(2026, 6, 15), summary_sha256=summary),
        actor="secretariat",
    )
    for state in (code, *reviewers):
        record(
            review,
            ev.ExecutiveSummaryAgreed(
                on=dt.date(2026, 6, 20), summary_sha256=summary, by=state
            ),
            actor=state,
        )


def open_copy(base: Path, data_dir: Path) -> World:
    """A copy of the report world kept in ``base``, opened in ``data_dir``.

    Building the world takes seconds; tests build it once and copy its folder.
    """
    shutil.copytree(base, data_dir)
    clock = SimulatedClock(NOW)
    vault = open_vault(Settings(data_dir=data_dir, store="sqlite"), clock)
    return World(vault=vault, data_dir=data_dir, clock=clock)


def open_report_world(data_dir: Path) -> World:
    """A vault with the four reviews of ``REVIEWS`` completed."""
    world = open_checklist_world(data_dir, registry=REGISTRY, states=STATES)
    for review, reviewers in REVIEWS.items():
        complete_review(world, review, reviewers)
    return world
