"""Reports compiled across reviews: thematic, expert group, performance (ToR 34-46).

None of them names a State or orders anything by a State's performance (ToR 3(b),
37 quinquies). They are built from findings already stripped of any State's name
(:func:`redact`), counted by how many reviews recorded them, never from whole
confidential reports:

* :func:`thematic_report`: the most common findings of the finalised reports of a
  cycle, by theme, article and kind; with ``group``, a regional supplementary
  addendum (ToR 34);
* :func:`expert_group_report`: general and regional trends from the compilation,
  with the number of executive summaries considered and the other non-confidential
  information the group recorded (ToR 37 bis, quater, sexies);
* :func:`performance_report`: the stage figures of the mechanism (ToR 46).

A finding listed must have been recorded in at least ``MINIMUM_REVIEWS`` reviews,
so that no single State can be recognised from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from untoc_core.instruments import ArticleRef
from untoc_core.reports.country import join
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
    Table,
    Text,
)
from untoc_core.reports.names import code_pattern, name_pattern
from untoc_core.reviews.events import FindingKind
from untoc_core.reviews.performance import Performance

MINIMUM_REVIEWS = 2
"""The fewest reviews a compiled finding must come from to be listed."""
REDACTED = "…"
"""What replaces a State's name or code in a compiled text."""
KINDS = (
    FindingKind.GOOD_PRACTICE,
    FindingKind.CHALLENGE,
    FindingKind.OBSERVATION,
    FindingKind.TECHNICAL_ASSISTANCE_NEED,
)


@attrs.frozen(kw_only=True)
class CompiledFinding:
    """One finding of a finalised report, with no State named in it.

    Attributes:
        review: The review it comes from (kept for counting, never printed).
        regional_group: The regional group of the party under review, or ``""``.
        theme: The thematic cluster of its article.
        article: The article (``UNTOC 5``).
        kind: Its kind.
        text: Its text, with every State's name and code replaced.
        language: The language of the text.
    """

    review: str
    regional_group: str
    theme: str
    article: str
    kind: FindingKind
    text: str
    language: str


def redact(text: str, names: Iterable[str], codes: Iterable[str]) -> str:
    """``text`` with every State name (any language) and ISO code replaced.

    Names are matched as whole words, case-insensitively, longest first (a name in
    Chinese anywhere); codes as whole upper-case words. The result names no State
    a caller listed.
    """
    out = text
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        out = name_pattern(name).sub(REDACTED, out)
    for code in sorted({c for c in codes if c}):
        out = code_pattern(code).sub(REDACTED, out)
    return out


@attrs.frozen(kw_only=True)
class _Entry:
    text: str
    language: str
    reviews: frozenset[str]


def _common(findings: Sequence[CompiledFinding]) -> list[_Entry]:
    """Identical texts merged, kept if enough reviews recorded them; commonest first."""
    merged: dict[tuple[str, str], set[str]] = {}
    for f in findings:
        merged.setdefault((" ".join(f.text.split()), f.language), set()).add(f.review)
    entries = [
        _Entry(text=t, language=lang, reviews=frozenset(r))
        for (t, lang), r in merged.items()
        if len(r) >= MINIMUM_REVIEWS
    ]
    return sorted(entries, key=lambda e: (-len(e.reviews), e.text))


def thematic_report(  # noqa: PLR0913 - what a compilation is made of
    findings: Sequence[CompiledFinding],
    *,
    cycle: int,
    themes: Sequence[tuple[str, Text]],
    reports: int,
    language: str,
    produced_on: dt.date,
    group: str = "",
) -> Document:
    """The thematic implementation report of a cycle, or one region's addendum.

    Args:
        findings: The findings of the cycle's finalised reports, redacted.
        cycle: The cycle.
        themes: The cycle's thematic clusters, each with its title, in order.
        reports: How many final reports the findings come from.
        language: The language of the document.
        produced_on: The day it is produced.
        group: A regional group, for its supplementary addendum; ``""`` for the
            report itself.
    """
    chosen = [f for f in findings if not group or f.regional_group == group]
    blocks: list[Block] = [
        Paragraph(text=(Msg(id="thematic.intro"),)),
        Paragraph(text=(Msg(id="thematic.basis", params={"reports": reports}),)),
    ]
    for theme, title in themes:
        blocks.append(Heading(level=1, text=(title,)))
        in_theme = [f for f in chosen if f.theme == theme]
        for ref in sorted({ArticleRef.parse(f.article) for f in in_theme}):
            article = Msg(id="article", params={"number": ref.number})
            instrument = Msg(id=f"instrument.short.{ref.instrument.value}")
            blocks.append(
                Heading(
                    level=2,
                    text=(
                        Msg(
                            id="thematic.article",
                            params={"article": article, "instrument": instrument},
                        ),
                    ),
                )
            )
            for kind in KINDS:
                entries = _common(
                    [f for f in in_theme if f.article == str(ref) and f.kind is kind]
                )
                if entries:
                    blocks.append(
                        Heading(level=3, text=(Msg(id=f"thematic.kind.{kind.value}"),))
                    )
                    blocks.append(Items(items=tuple(_counted(e) for e in entries)))
    blocks.append(
        Paragraph(
            text=(Msg(id="thematic.withheld", params={"minimum": MINIMUM_REVIEWS}),),
            style=Style.NOTE,
        )
    )
    params: dict[str, object] = {
        "theme": join([title for _, title in themes]),
        "cycle": cycle,
    }
    if group:
        params["group"] = Msg(id=f"group.{group}")
    title_id = "thematic.addendum.title" if group else "thematic.title"
    return Document(
        kind="thematic-report",
        language=language,
        title=(Msg(id=title_id, params=params),),
        marking=Marking.INFORMATION,
        blocks=tuple(blocks),
        dated=produced_on,
    )


def _counted(entry: _Entry) -> tuple[Text, ...]:
    return (
        Msg(
            id="thematic.count",
            params={
                "count": len(entry.reviews),
                "text": Content(text=entry.text, language=entry.language),
            },
        ),
    )


def expert_group_report(  # noqa: PLR0913 - what the group works from
    findings: Sequence[CompiledFinding],
    *,
    cycle: int,
    year: int,
    summaries: int,
    other_information: Sequence[Content],
    groups: Sequence[str],
    language: str,
    produced_on: dt.date,
) -> Document:
    """The technical expert group report of a year of a cycle (ToR 37 bis-sexies).

    It works from the compilation (the redacted findings) and counts the
    executive summaries considered; it never reads a country review report.

    Args:
        findings: The compiled findings of the cycle so far, redacted.
        cycle: The cycle.
        year: The year of the cycle.
        summaries: How many published executive summaries were considered.
        other_information: Other non-confidential information the group
            recorded, none of it naming a State.
        groups: The regional groups to give trends for.
        language: The language of the document.
        produced_on: The day it is produced.
    """
    blocks: list[Block] = [
        Paragraph(text=(Msg(id="expert.intro"),)),
        Paragraph(text=(Msg(id="expert.sources", params={"summaries": summaries}),)),
        Heading(level=1, text=(Msg(id="expert.trends"),)),
    ]
    blocks.extend(_trends(findings))
    blocks.append(Heading(level=1, text=(Msg(id="expert.regional"),)))
    for group in groups:
        regional = [f for f in findings if f.regional_group == group]
        trends = _trends(regional, level=3)
        if trends:
            blocks.append(Heading(level=2, text=(Msg(id=f"group.{group}"),)))
            blocks.extend(trends)
    if other_information:
        blocks.append(Heading(level=1, text=(Msg(id="expert.other"),)))
        blocks.append(Items(items=tuple((c,) for c in other_information)))
    blocks.append(Paragraph(text=(Msg(id="expert.submitted"),), style=Style.NOTE))
    return Document(
        kind="expert-group-report",
        language=language,
        title=(Msg(id="expert.title", params={"cycle": cycle, "year": year}),),
        marking=Marking.INFORMATION,
        blocks=tuple(blocks),
        dated=produced_on,
    )


def _trends(findings: Sequence[CompiledFinding], level: int = 2) -> list[Block]:
    out: list[Block] = []
    for kind in KINDS:
        entries = _common([f for f in findings if f.kind is kind])[:10]
        if entries:
            out.append(
                Heading(level=level, text=(Msg(id=f"thematic.kind.{kind.value}"),))
            )
            out.append(Items(items=tuple(_counted(e) for e in entries)))
    return out


def performance_report(
    performance: Performance, *, cycle: int, language: str, produced_on: dt.date
) -> Document:
    """The performance of the mechanism in a cycle, as a whole (ToR 46).

    Stage durations and delays for all reviews together; figures on fewer
    reviews than the minimum are withheld. No State is named or compared.
    """
    rows: list[tuple[Text, ...]] = [
        (
            stage.step.replace("_", " "),
            "" if stage.reviews is None else str(stage.reviews),
            "" if stage.median_days is None else f"{stage.median_days:g}",
            ""
            if stage.on_time_share is None or stage.judged is None
            else str(round(stage.judged * (1 - stage.on_time_share))),
        )
        for stage in performance.whole_cycle.stages
    ]
    blocks: list[Block] = [
        Paragraph(text=(Msg(id="performance.intro"),)),
        Table(
            header=(
                Msg(id="performance.stage"),
                Msg(id="performance.reviews"),
                Msg(id="performance.median"),
                Msg(id="performance.late"),
            ),
            rows=tuple(rows),
        ),
        Paragraph(
            text=(
                Msg(
                    id="performance.suppressed",
                    params={"minimum": performance.minimum_reviews},
                ),
            ),
            style=Style.NOTE,
        ),
    ]
    return Document(
        kind="performance-report",
        language=language,
        title=(Msg(id="performance.title", params={"cycle": cycle}),),
        marking=Marking.INFORMATION,
        blocks=tuple(blocks),
        dated=produced_on,
    )
