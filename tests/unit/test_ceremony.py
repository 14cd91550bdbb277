"""The seed ceremony: given events, when a command at a time, then events or refusal.

Covers the two randomness sources, the seed formula (computed here independently of
the library), every refusal (ToR-5), the rule for a withheld or wrong reveal (T38)
both ways, and the Mechanism's methods on a memory store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

import attrs
import pytest

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.catalogue import EVENTS
from untoc_core.drawing.ceremony import (
    CEREMONY_EVENTS,
    AnnounceDraw,
    AnnouncementRefused,
    Ceremony,
    CeremonyVoided,
    CommitmentRefused,
    CommitSecret,
    DrawAlreadyAnnounced,
    DrawAnnounced,
    Exclusion,
    ExclusionReason,
    FixSeed,
    InputsChanged,
    RevealMismatch,
    RevealRefused,
    RevealSecret,
    SecretCommitted,
    SecretRevealed,
    SeedFixed,
    SeedFixingRefused,
    Stage,
    Status,
    UnknownDraw,
    VoidReason,
    check_draw_id,
    decide,
    replay,
    stream_of,
)
from untoc_core.drawing.randomness import (
    SEED_DOMAIN,
    CommitReveal,
    MissingRevealRule,
    PublishedSeed,
    SeedCeremonyRefused,
    ValueFormat,
    WrongRandomnessSource,
    canon,
    commitment,
    derive_seed,
    normalise_secret,
    reveals_sha256,
)
from untoc_core.drawing.stream import LotStream
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.events import Event
from untoc_core.ports import RandomnessSource

UTC = dt.UTC
T0 = dt.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
COMMIT_UNTIL = T0 + dt.timedelta(days=7)
REVEAL_UNTIL = T0 + dt.timedelta(days=14)
DUE = T0 + dt.timedelta(days=15)
DRAW = "trial-1/years"
"""A draw the mechanism does not record: its inputs are what the test says."""
INPUTS = hashlib.sha256(b"pool, deferrals, rules v1").hexdigest()
BEACON = "drand round 4821333"
BEACON_VALUE = "AB" * 32  # 64 hex digits, in upper case as a reader might copy it
SECRETS = {"ARC": "11" * 32, "BRD": "22" * 32, "CUB": "33" * 32}


def independent_seed(inputs: str, value: str, reveals: Mapping[str, str]) -> bytes:
    """The seed formula written out here, without the library."""
    canon_reveals = json.dumps(reveals, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(
        b"untoc-lots/v1"
        + bytes.fromhex(inputs)
        + value.encode("utf-8")
        + hashlib.sha256(canon_reveals.encode("utf-8")).digest()
    ).digest()


def independent_commitment(party: str, secret: str) -> str:
    text = json.dumps({"party": party, "secret": secret}, separators=(",", ":"))
    assert text == f'{{"party":"{party}","secret":"{secret}"}}'
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def published(
    name: str = BEACON, due: dt.datetime = DUE, fmt: ValueFormat = ValueFormat.HEX
) -> PublishedSeed:
    return PublishedSeed(name=name, due=due, value_format=fmt)


def commit_reveal(
    rule: MissingRevealRule = MissingRevealRule.EXCLUDE,
    *,
    public: PublishedSeed | None = None,
    parties: tuple[str, ...] = ("ARC", "BRD", "CUB"),
) -> CommitReveal:
    return CommitReveal(
        participants=parties,
        commit_until=COMMIT_UNTIL,
        reveal_until=REVEAL_UNTIL,
        on_missing_reveal=rule,
        public_value=public,
    )


def run(
    events: Iterable[Event],
    command: AnnounceDraw | CommitSecret | RevealSecret | FixSeed,
    now: dt.datetime,
    parties: frozenset[str] | None = None,
) -> tuple[Event, ...]:
    state = replay(enumerate(events, start=1))
    return decide(state, command, now=now, parties=parties)


def history(
    *steps: tuple[AnnounceDraw | CommitSecret | RevealSecret | FixSeed, dt.datetime],
) -> list[Event]:
    """The events a sequence of accepted commands records."""
    events: list[Event] = []
    for command, now in steps:
        events.extend(run(events, command, now))
    return events


def announce(source: PublishedSeed | CommitReveal, draw: str = DRAW) -> AnnounceDraw:
    return AnnounceDraw(draw_id=draw, inputs_sha256=INPUTS, source=source)


def commit(party: str, draw: str = DRAW) -> CommitSecret:
    return CommitSecret(
        draw_id=draw, party=party, commitment=commitment(party, SECRETS[party])
    )


def reveal(party: str, draw: str = DRAW) -> RevealSecret:
    return RevealSecret(draw_id=draw, party=party, secret=SECRETS[party])


AT_COMMIT = T0 + dt.timedelta(days=1)
AT_REVEAL = COMMIT_UNTIL + dt.timedelta(hours=1)
AT_FIX = DUE + dt.timedelta(minutes=1)


def ceremony_with(
    source: CommitReveal, committed: Iterable[str], revealed: Iterable[str]
) -> list[Event]:
    steps: list[
        tuple[AnnounceDraw | CommitSecret | RevealSecret | FixSeed, dt.datetime]
    ] = [(announce(source), T0)]
    steps += [(commit(p), AT_COMMIT) for p in committed]
    steps += [(reveal(p), AT_REVEAL) for p in revealed]
    return history(*steps)


def refused_citing_tor5(error: pytest.ExceptionInfo[DomainError]) -> None:
    assert error.value.provision == "ToR-5"
    assert str(error.value).startswith("[ToR-5] ")


# -- the seed formula ------------------------------------------------------------------


def test_a_published_seed_is_the_formula_computed_independently() -> None:
    seed = published().seed(INPUTS, value=BEACON_VALUE, reveals={})
    assert seed == independent_seed(INPUTS, BEACON_VALUE.lower(), {})
    assert len(seed) == 32


def test_the_seed_of_a_fixed_example_is_pinned() -> None:
    # inputs: SHA-256 of "abc"; value "7 13 42"; no reveals. Pinned so that the
    # formula cannot drift without this test failing.
    inputs = hashlib.sha256(b"abc").hexdigest()
    expected = hashlib.sha256(
        b"untoc-lots/v1"
        + bytes.fromhex(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        + b"7 13 42"
        + bytes.fromhex(
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        )
    ).digest()
    assert hashlib.sha256(b"{}").hexdigest() == (
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    )
    source = published("lottery results of 2027-01-15", fmt=ValueFormat.NUMBERS)
    assert source.seed(inputs, value="07, 13, 42", reveals={}) == expected


def test_derive_seed_uses_the_domain_the_inputs_the_value_and_the_reveals() -> None:
    reveals = {"BRD": SECRETS["BRD"], "ARC": SECRETS["ARC"]}
    assert SEED_DOMAIN == b"untoc-lots/v1"
    assert derive_seed(INPUTS, "v", reveals) == independent_seed(INPUTS, "v", reveals)
    assert reveals_sha256(reveals) == hashlib.sha256(canon(reveals)).hexdigest()
    assert canon(reveals) == (
        b'{"ARC":"'
        + SECRETS["ARC"].encode()
        + b'","BRD":"'
        + SECRETS["BRD"].encode()
        + b'"}'
    )


def test_each_part_of_the_formula_changes_the_seed() -> None:
    base = derive_seed(INPUTS, "v", {"ARC": SECRETS["ARC"]})
    other_inputs = hashlib.sha256(b"other pool").hexdigest()
    assert derive_seed(other_inputs, "v", {"ARC": SECRETS["ARC"]}) != base
    assert derive_seed(INPUTS, "w", {"ARC": SECRETS["ARC"]}) != base
    assert derive_seed(INPUTS, "v", {"ARC": SECRETS["BRD"]}) != base
    assert derive_seed(INPUTS, "v", {}) != base


def test_a_commitment_is_the_hash_of_the_canonical_party_and_secret() -> None:
    assert commitment("ARC", SECRETS["ARC"]) == independent_commitment(
        "ARC", SECRETS["ARC"]
    )
    # the secret is put in canonical form (lower case) first
    assert commitment("ARC", SECRETS["ARC"].upper()) == commitment(
        "ARC", SECRETS["ARC"]
    )
    assert commitment("BRD", SECRETS["ARC"]) != commitment("ARC", SECRETS["ARC"])


@pytest.mark.parametrize(
    "secret", ["", "zz" * 16, "1" * 31, "1" * 33, "ab" * 15, "ab" * 65]
)
def test_a_secret_is_an_even_number_of_hex_digits_from_32_to_128(secret: str) -> None:
    with pytest.raises(InvalidInput, match="a secret is an even number of hex digits"):
        normalise_secret(secret)


def test_both_sources_serve_the_port_with_the_same_formula() -> None:
    reveals = {"ARC": SECRETS["ARC"]}
    cases: list[tuple[RandomnessSource, Mapping[str, str]]] = [
        (published(), {}),
        (commit_reveal(public=published()), reveals),
    ]
    for source, counted in cases:
        assert BEACON in source.describe()
        value = source.verify(name=BEACON, value=BEACON_VALUE)
        assert value == BEACON_VALUE.lower()
        assert source.seed(INPUTS, value=value, reveals=counted) == independent_seed(
            INPUTS, value, counted
        )


def test_a_fixed_seed_starts_a_stream_of_lots() -> None:
    seed = published().seed(INPUTS, value=BEACON_VALUE, reveals={})
    first = LotStream(seed).below(10, "years/African States")
    again = LotStream(seed).below(10, "years/African States")
    assert first == again


# -- value formats and names -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "given", "canonical"),
    [
        (ValueFormat.HEX, "  " + "AB" * 16 + "\n", "ab" * 16),
        (ValueFormat.NUMBERS, "07, 13,  42 / 5", "7 13 42 5"),
        (ValueFormat.TEXT, "  FTSE 100\tclose  7 712.4 ", "FTSE 100 close 7 712.4"),
    ],
)
def test_a_value_is_put_in_canonical_form_by_its_format(
    fmt: ValueFormat, given: str, canonical: str
) -> None:
    assert fmt.normalise(given) == canonical


@pytest.mark.parametrize(
    ("fmt", "given"),
    [
        (ValueFormat.HEX, "ab" * 15),
        (ValueFormat.HEX, "xy" * 16),
        (ValueFormat.HEX, "a" * 33),
        (ValueFormat.NUMBERS, "7, 13, forty-two"),
        (ValueFormat.TEXT, "   "),
    ],
)
def test_a_value_not_of_the_announced_format_is_invalid_input(
    fmt: ValueFormat, given: str
) -> None:
    with pytest.raises(InvalidInput, match="public value"):
        fmt.normalise(given)


def test_verify_accepts_the_announced_name_ignoring_case_and_spacing() -> None:
    source = published()
    assert source.verify(name="  DRAND   round 4821333 ", value=BEACON_VALUE) == (
        BEACON_VALUE.lower()
    )


def test_verify_refuses_a_value_from_another_round() -> None:
    with pytest.raises(WrongRandomnessSource, match="drand round 4821334") as error:
        published().verify(name="drand round 4821334", value=BEACON_VALUE)
    refused_citing_tor5(error)


def test_a_published_seed_has_no_reveals() -> None:
    with pytest.raises(InvalidInput, match="no commit-reveal contributions"):
        published().seed(INPUTS, value=BEACON_VALUE, reveals={"ARC": SECRETS["ARC"]})


def test_commit_reveal_seed_refuses_a_stranger_or_a_value_never_announced() -> None:
    source = commit_reveal()
    with pytest.raises(InvalidInput, match="not participants of this ceremony: ZZZ"):
        source.seed(INPUTS, value="", reveals={"ZZZ": SECRETS["ARC"]})
    with pytest.raises(InvalidInput, match="announced no public value"):
        source.seed(INPUTS, value="abc", reveals={})


def test_descriptions_name_the_source_the_deadlines_and_the_rule() -> None:
    text = commit_reveal(MissingRevealRule.RESTART, public=published()).describe()
    assert "commit-reveal among ARC, BRD, CUB" in text
    assert "commitments until 2027-01-08T12:00:00Z" in text
    assert "reveals until 2027-01-15T12:00:00Z" in text
    assert "restart (the ceremony is void and is announced again)" in text
    assert "'drand round 4821333', due 2027-01-16T12:00:00Z, format hex" in text
    assert "no public value" in commit_reveal().describe()


# -- announcing ------------------------------------------------------------------------


def test_announcing_records_the_inputs_hash_and_the_source_before_the_seed() -> None:
    (event,) = run([], announce(published(name="drand  round 4821333")), T0)
    assert event == DrawAnnounced(
        draw_id=DRAW,
        attempt=1,
        inputs_sha256=INPUTS,
        source=published().describe(),
        published=published(),
        commit_reveal=None,
        announced_at=T0,
    )


def test_announcing_commit_reveal_sorts_and_upper_cases_the_participants() -> None:
    source = commit_reveal(parties=("cub", "ARC", " brd "))
    (event,) = run([], announce(source), T0, parties=frozenset(SECRETS))
    assert isinstance(event, DrawAnnounced)
    assert event.commit_reveal is not None
    assert event.commit_reveal.participants == ("ARC", "BRD", "CUB")
    assert event.published is None
    assert event.source == event.commit_reveal.describe()


def test_announcing_normalises_deadlines_to_utc() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    source = attrs.evolve(
        commit_reveal(), commit_until=COMMIT_UNTIL.astimezone(plus_two)
    )
    (event,) = run([], announce(source), T0.astimezone(plus_two))
    assert isinstance(event, DrawAnnounced)
    assert event.commit_reveal is not None
    assert event.commit_reveal.commit_until.utcoffset() == dt.timedelta(0)
    assert event.commit_reveal.commit_until == COMMIT_UNTIL
    assert event.announced_at.utcoffset() == dt.timedelta(0)


def test_a_draw_is_announced_once() -> None:
    events = history((announce(published()), T0))
    with pytest.raises(
        DrawAlreadyAnnounced, match=r"trial-1/years.*it is open"
    ) as error:
        run(events, announce(published(name="drand round 9999999")), T0)
    refused_citing_tor5(error)


def test_a_draw_whose_seed_is_fixed_is_not_announced_again() -> None:
    events = history(
        (announce(published()), T0),
        (FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE), AT_FIX),
    )
    later = AT_FIX + dt.timedelta(days=1)
    source = published(name="drand round 9999999", due=later + dt.timedelta(days=1))
    with pytest.raises(DrawAlreadyAnnounced, match="its seed is fixed"):
        run(events, announce(source), later)


@pytest.mark.parametrize("due", [T0, T0 - dt.timedelta(seconds=1)])
def test_a_public_value_that_may_already_exist_is_refused(due: dt.datetime) -> None:
    with pytest.raises(AnnouncementRefused, match="may already be known") as error:
        run([], announce(published(due=due)), T0)
    refused_citing_tor5(error)


def test_commitments_must_close_after_the_announcement() -> None:
    source = attrs.evolve(commit_reveal(), commit_until=T0)
    with pytest.raises(AnnouncementRefused, match="commitments would close"):
        run([], announce(source), T0)


def test_reveals_must_close_after_commitments_close() -> None:
    source = attrs.evolve(commit_reveal(), reveal_until=COMMIT_UNTIL)
    with pytest.raises(AnnouncementRefused, match="reveals must close after"):
        run([], announce(source), T0)


def test_the_public_value_must_be_due_after_reveals_close() -> None:
    source = commit_reveal(public=published(due=REVEAL_UNTIL))
    with pytest.raises(AnnouncementRefused, match="last State to reveal could compute"):
        run([], announce(source), T0)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (announce(published(), draw="Cycle 1"), "is not a draw id"),
        (announce(published(), draw="cycle-1//years"), "is not a draw id"),
        (announce(published(), draw="x" * 101), "is not a draw id"),
        (
            AnnounceDraw(draw_id=DRAW, inputs_sha256="abc", source=published()),
            "the inputs' hash must be a SHA-256 digest",
        ),
        (announce(published(name="  ")), "a published value needs a name"),
        (
            announce(published(due=dt.datetime(2027, 2, 1))),  # noqa: DTZ001
            "needs a time zone",
        ),
        (announce(commit_reveal(parties=())), "at least one participating State"),
        (announce(commit_reveal(parties=("ARC", "AR"))), "not State codes"),
        (announce(commit_reveal(parties=("ARC", "arc"))), "named twice"),
        (
            announce(commit_reveal(parties=("ARC", "ZZZ"))),
            "not States parties or signatories in the registry: ZZZ",
        ),
    ],
)
def test_malformed_announcements_are_invalid_input(
    command: AnnounceDraw, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        run([], command, T0, parties=frozenset(SECRETS))


def test_the_current_time_needs_a_time_zone() -> None:
    with pytest.raises(InvalidInput, match="current time needs a time zone"):
        run([], announce(published()), T0.replace(tzinfo=None))


# -- committing ------------------------------------------------------------------------


def test_a_participant_commits_before_commitments_close() -> None:
    events = history((announce(commit_reveal()), T0))
    lower_case = CommitSecret(
        draw_id=DRAW, party="arc", commitment=commitment("ARC", SECRETS["ARC"]).upper()
    )
    (event,) = run(events, lower_case, COMMIT_UNTIL - dt.timedelta(seconds=1))
    assert event == SecretCommitted(
        draw_id=DRAW,
        attempt=1,
        party="ARC",
        commitment=independent_commitment("ARC", SECRETS["ARC"]),
        committed_at=COMMIT_UNTIL - dt.timedelta(seconds=1),
    )


def test_committing_when_commitments_have_closed_is_refused() -> None:
    events = history((announce(commit_reveal()), T0))
    with pytest.raises(CommitmentRefused, match="closed at 2027-01-08T12:00:00Z") as e:
        run(events, commit("ARC"), COMMIT_UNTIL)
    refused_citing_tor5(e)


def test_committing_twice_is_refused() -> None:
    events = history((announce(commit_reveal()), T0), (commit("ARC"), AT_COMMIT))
    with pytest.raises(CommitmentRefused, match="ARC already committed"):
        run(events, commit("ARC"), AT_COMMIT)


def test_a_state_that_does_not_take_part_cannot_commit() -> None:
    events = history((announce(commit_reveal(parties=("ARC", "BRD"))), T0))
    with pytest.raises(CommitmentRefused, match="CUB does not take part"):
        run(events, commit("CUB"), AT_COMMIT)


def test_a_published_seed_has_no_commitments() -> None:
    events = history((announce(published()), T0))
    with pytest.raises(CommitmentRefused, match="published value alone"):
        run(events, commit("ARC"), AT_COMMIT)


def test_committing_to_a_draw_never_announced_is_invalid_input() -> None:
    with pytest.raises(UnknownDraw, match="no seed ceremony has been announced"):
        run([], commit("ARC"), AT_COMMIT)


def test_a_commitment_must_be_a_sha256_digest() -> None:
    events = history((announce(commit_reveal()), T0))
    bad = CommitSecret(draw_id=DRAW, party="ARC", commitment="not a hash")
    with pytest.raises(InvalidInput, match="a commitment must be a SHA-256 digest"):
        run(events, bad, AT_COMMIT)


# -- revealing -------------------------------------------------------------------------


def committed_all() -> list[Event]:
    return ceremony_with(commit_reveal(public=published()), SECRETS, ())


def test_a_matching_reveal_after_commitments_close_is_recorded() -> None:
    (event,) = run(committed_all(), reveal("BRD"), COMMIT_UNTIL)
    assert event == SecretRevealed(
        draw_id=DRAW,
        attempt=1,
        party="BRD",
        secret=SECRETS["BRD"],
        revealed_at=COMMIT_UNTIL,
    )


def test_revealing_before_commitments_close_is_refused() -> None:
    with pytest.raises(RevealRefused, match="open when commitments close") as error:
        run(committed_all(), reveal("ARC"), COMMIT_UNTIL - dt.timedelta(seconds=1))
    refused_citing_tor5(error)


def test_revealing_after_the_reveal_deadline_is_refused() -> None:
    with pytest.raises(RevealRefused, match="closed at 2027-01-15T12:00:00Z"):
        run(committed_all(), reveal("ARC"), REVEAL_UNTIL)


def test_revealing_without_a_commitment_is_refused() -> None:
    events = ceremony_with(commit_reveal(), ["ARC"], ())
    with pytest.raises(RevealRefused, match="BRD made no commitment"):
        run(events, reveal("BRD"), AT_REVEAL)


def test_revealing_twice_is_refused() -> None:
    events = ceremony_with(commit_reveal(), ["ARC"], ["ARC"])
    with pytest.raises(RevealRefused, match="ARC already revealed"):
        run(events, reveal("ARC"), AT_REVEAL)


def test_a_reveal_by_a_state_that_does_not_take_part_is_refused() -> None:
    events = ceremony_with(commit_reveal(parties=("ARC", "BRD")), ["ARC"], ())
    with pytest.raises(RevealRefused, match="CUB does not take part"):
        run(events, reveal("CUB"), AT_REVEAL)


def test_a_reveal_that_does_not_match_its_commitment_is_refused() -> None:
    wrong = RevealSecret(draw_id=DRAW, party="ARC", secret=SECRETS["BRD"])
    with pytest.raises(RevealMismatch, match="does not match the commitment ARC") as e:
        run(committed_all(), wrong, AT_REVEAL)
    refused_citing_tor5(e)
    assert "exclude (its contribution is left out and that is recorded)" in str(e.value)
    assert isinstance(e.value, RevealRefused)


def test_a_malformed_secret_is_invalid_input() -> None:
    bad = RevealSecret(draw_id=DRAW, party="ARC", secret="not-hex")  # noqa: S106
    with pytest.raises(InvalidInput, match="a secret is an even number"):
        run(committed_all(), bad, AT_REVEAL)


# -- fixing the seed -------------------------------------------------------------------


def test_every_reveal_and_the_public_value_make_the_seed() -> None:
    events = ceremony_with(commit_reveal(public=published()), SECRETS, SECRETS)
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)
    expected = independent_seed(INPUTS, BEACON_VALUE.lower(), SECRETS)
    assert event == SeedFixed(
        draw_id=DRAW,
        attempt=1,
        inputs_sha256=INPUTS,
        value_name=BEACON,
        value=BEACON_VALUE.lower(),
        counted=("ARC", "BRD", "CUB"),
        excluded=(),
        reveals_sha256=hashlib.sha256(canon(SECRETS)).hexdigest(),
        seed=expected.hex(),
        fixed_at=AT_FIX,
    )


def test_the_seed_does_not_depend_on_the_order_of_reveals_or_on_replay() -> None:
    source = commit_reveal(public=published())
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    forwards = run(ceremony_with(source, SECRETS, ["ARC", "BRD", "CUB"]), fix, AT_FIX)
    backwards = run(ceremony_with(source, SECRETS, ["CUB", "BRD", "ARC"]), fix, AT_FIX)
    again = run(ceremony_with(source, SECRETS, ["ARC", "BRD", "CUB"]), fix, AT_FIX)
    assert isinstance(forwards[0], SeedFixed)
    assert isinstance(backwards[0], SeedFixed)
    assert forwards[0].seed == backwards[0].seed
    assert forwards == again


def test_a_published_seed_is_fixed_from_its_value_alone() -> None:
    events = history((announce(published()), T0))
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, DUE)
    assert isinstance(event, SeedFixed)
    assert event.counted == ()
    assert event.excluded == ()
    assert bytes.fromhex(event.seed) == independent_seed(
        INPUTS, BEACON_VALUE.lower(), {}
    )


def test_commit_reveal_without_a_public_value_uses_the_reveals_alone() -> None:
    events = ceremony_with(commit_reveal(), SECRETS, SECRETS)
    (event,) = run(events, FixSeed(draw_id=DRAW), REVEAL_UNTIL)
    assert isinstance(event, SeedFixed)
    assert (event.value_name, event.value) == ("", "")
    assert bytes.fromhex(event.seed) == independent_seed(INPUTS, "", SECRETS)


def test_fixing_before_reveals_close_is_refused() -> None:
    events = ceremony_with(commit_reveal(), SECRETS, SECRETS)
    with pytest.raises(SeedFixingRefused, match="the seed is fixed after that") as e:
        run(events, FixSeed(draw_id=DRAW), REVEAL_UNTIL - dt.timedelta(seconds=1))
    refused_citing_tor5(e)


def test_fixing_before_the_public_value_is_due_is_refused() -> None:
    events = history((announce(published()), T0))
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    with pytest.raises(SeedFixingRefused, match="not due until 2027-01-16T12:00:00Z"):
        run(events, fix, DUE - dt.timedelta(seconds=1))


def test_fixing_twice_is_refused() -> None:
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    events = history((announce(published()), T0), (fix, AT_FIX))
    with pytest.raises(SeedFixingRefused, match="it is fixed once"):
        run(events, attrs.evolve(fix, value="cd" * 32), AT_FIX)


def test_fixing_with_a_value_of_another_source_is_refused() -> None:
    events = history((announce(published()), T0))
    fix = FixSeed(
        draw_id=DRAW,
        value_name="NIST beacon pulse 2027-01-16T12:00Z",
        value=BEACON_VALUE,
    )
    with pytest.raises(WrongRandomnessSource, match="only the announced value") as e:
        run(events, fix, AT_FIX)
    refused_citing_tor5(e)


def test_fixing_with_a_value_when_none_was_announced_is_refused() -> None:
    events = ceremony_with(commit_reveal(), SECRETS, SECRETS)
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    with pytest.raises(WrongRandomnessSource, match="announced no public value"):
        run(events, fix, AT_FIX)


def test_fixing_without_the_announced_value_is_refused() -> None:
    events = ceremony_with(commit_reveal(public=published()), SECRETS, SECRETS)
    with pytest.raises(WrongRandomnessSource, match="needs the announced public value"):
        run(events, FixSeed(draw_id=DRAW), AT_FIX)


def test_fixing_with_a_value_of_the_wrong_format_is_invalid_input() -> None:
    events = history((announce(published()), T0))
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value="not hex at all")
    with pytest.raises(InvalidInput, match="the public value must be hex"):
        run(events, fix, AT_FIX)


def test_fixing_a_draw_never_announced_is_invalid_input() -> None:
    with pytest.raises(UnknownDraw):
        run([], FixSeed(draw_id=DRAW), AT_FIX)


# -- T38: a withheld or wrong reveal, by the rule fixed in advance ---------------------


def test_exclude_leaves_out_a_withheld_reveal_and_records_why() -> None:
    source = commit_reveal(MissingRevealRule.EXCLUDE, public=published())
    events = ceremony_with(source, ["ARC", "BRD"], ["ARC"])
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)
    assert isinstance(event, SeedFixed)
    assert event.counted == ("ARC",)
    assert event.excluded == (
        Exclusion(party="BRD", reason=ExclusionReason.NOT_REVEALED),
        Exclusion(party="CUB", reason=ExclusionReason.NOT_COMMITTED),
    )
    only_arc = {"ARC": SECRETS["ARC"]}
    assert bytes.fromhex(event.seed) == independent_seed(
        INPUTS, BEACON_VALUE.lower(), only_arc
    )


def test_exclude_treats_a_wrong_reveal_as_withheld() -> None:
    source = commit_reveal(MissingRevealRule.EXCLUDE, public=published())
    events = ceremony_with(source, ["ARC", "BRD"], ["ARC"])
    wrong = RevealSecret(draw_id=DRAW, party="BRD", secret=SECRETS["CUB"])
    with pytest.raises(RevealMismatch):
        run(events, wrong, AT_REVEAL)
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)  # the refused reveal recorded nothing
    assert isinstance(event, SeedFixed)
    assert Exclusion(party="BRD", reason=ExclusionReason.NOT_REVEALED) in event.excluded


def test_restart_makes_the_ceremony_void_when_a_reveal_is_withheld() -> None:
    source = commit_reveal(MissingRevealRule.RESTART, public=published())
    events = ceremony_with(source, ["ARC", "BRD"], ["ARC"])
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)
    assert event == CeremonyVoided(
        draw_id=DRAW,
        attempt=1,
        reason=VoidReason.WITHHELD_REVEAL,
        missing=(
            Exclusion(party="BRD", reason=ExclusionReason.NOT_REVEALED),
            Exclusion(party="CUB", reason=ExclusionReason.NOT_COMMITTED),
        ),
        voided_at=AT_FIX,
    )


def test_restart_fixes_the_seed_when_only_a_non_committer_is_missing() -> None:
    source = commit_reveal(MissingRevealRule.RESTART, public=published())
    events = ceremony_with(source, ["ARC", "BRD"], ["ARC", "BRD"])
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)
    assert isinstance(event, SeedFixed)
    assert event.excluded == (
        Exclusion(party="CUB", reason=ExclusionReason.NOT_COMMITTED),
    )


def voided() -> list[Event]:
    source = commit_reveal(MissingRevealRule.RESTART, public=published())
    events = ceremony_with(source, ["ARC", "BRD"], ["ARC"])
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    return [*events, *run(events, fix, AT_FIX)]


def test_a_void_ceremony_refuses_commitments_reveals_and_a_seed() -> None:
    events = voided()
    with pytest.raises(CommitmentRefused, match="is void"):
        run(events, commit("CUB"), AT_FIX)
    with pytest.raises(RevealRefused, match="is void"):
        run(events, reveal("BRD"), AT_FIX)
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    with pytest.raises(SeedFixingRefused, match="is void; it must be announced again"):
        run(events, fix, AT_FIX)


def test_a_void_ceremony_is_announced_again_with_a_new_public_value() -> None:
    events = voided()
    later = AT_FIX + dt.timedelta(days=1)
    moved = {
        "commit_until": later + dt.timedelta(days=7),
        "reveal_until": later + dt.timedelta(days=14),
    }
    same_value = attrs.evolve(
        commit_reveal(
            MissingRevealRule.RESTART,
            public=published(due=later + dt.timedelta(days=15)),
        ),
        **moved,
    )
    with pytest.raises(AnnouncementRefused, match="named by an earlier attempt"):
        run(events, announce(same_value), later)
    new_value = attrs.evolve(
        same_value,
        public_value=published(
            name="drand round 4900000", due=later + dt.timedelta(days=15)
        ),
    )
    (event,) = run(events, announce(new_value), later)
    assert isinstance(event, DrawAnnounced)
    assert event.attempt == 2
    state = replay(enumerate([*events, event], start=1))
    assert state.status is Status.OPEN
    assert state.commitments == {}
    assert state.reveals == {}
    assert len(state.voided) == 1
    # commitments of the first attempt do not count in the second
    (recommitted,) = run([*events, event], commit("ARC"), later + dt.timedelta(days=1))
    assert isinstance(recommitted, SecretCommitted)
    assert recommitted.attempt == 2


def test_no_reveal_and_no_public_value_voids_the_ceremony_whatever_the_rule() -> None:
    events = ceremony_with(commit_reveal(MissingRevealRule.EXCLUDE), SECRETS, ())
    (event,) = run(events, FixSeed(draw_id=DRAW), REVEAL_UNTIL)
    assert isinstance(event, CeremonyVoided)
    assert event.reason is VoidReason.NO_RANDOMNESS


def test_no_reveal_with_a_public_value_fixes_the_seed_from_the_value() -> None:
    events = ceremony_with(commit_reveal(public=published()), (), ())
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    (event,) = run(events, fix, AT_FIX)
    assert isinstance(event, SeedFixed)
    assert event.counted == ()
    assert bytes.fromhex(event.seed) == independent_seed(
        INPUTS, BEACON_VALUE.lower(), {}
    )


# -- the ceremony's state --------------------------------------------------------------


def test_the_stage_follows_the_deadlines() -> None:
    assert Ceremony().stage(T0) is Stage.NOT_ANNOUNCED
    state = replay(
        enumerate(ceremony_with(commit_reveal(public=published()), (), ()), 1)
    )
    assert state.stage(T0) is Stage.COMMITTING
    assert state.stage(COMMIT_UNTIL) is Stage.REVEALING
    assert state.stage(REVEAL_UNTIL) is Stage.AWAITING_VALUE
    assert state.stage(DUE) is Stage.READY
    assert replay(enumerate(voided(), 1)).stage(DUE) is Stage.VOIDED


def test_the_seed_is_read_once_fixed_and_only_for_the_announced_inputs() -> None:
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    announced = history((announce(published()), T0))
    with pytest.raises(InvalidInput, match="is not fixed"):
        replay(enumerate(announced, 1)).seed()
    state = replay(enumerate([*announced, *run(announced, fix, AT_FIX)], 1))
    assert state.stage(AT_FIX) is Stage.FIXED
    expected = independent_seed(INPUTS, BEACON_VALUE.lower(), {})
    assert state.seed() == expected
    assert state.require_seed(INPUTS.upper()) == expected
    with pytest.raises(
        InputsChanged, match="a draw runs only on the inputs announced"
    ) as e:
        state.require_seed(hashlib.sha256(b"a changed pool").hexdigest())
    refused_citing_tor5(e)


def test_draw_ids_and_streams() -> None:
    assert stream_of("cycle-1/year-2/reviewers") == "ceremony/cycle-1/year-2/reviewers"
    assert check_draw_id("cycle-1/years") == "cycle-1/years"
    with pytest.raises(InvalidInput):
        stream_of("/cycle-1")


def test_every_ceremony_refusal_cites_tor5() -> None:
    def subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    refusals = subclasses(SeedCeremonyRefused)
    assert len(refusals) >= 8
    for refusal in refusals:
        assert refusal.provision == "ToR-5"


def test_every_ceremony_event_is_in_the_catalogue_and_survives_json() -> None:
    events = [
        *ceremony_with(commit_reveal(public=published()), SECRETS, ["ARC"]),
    ]
    fix = FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    events += run(events, fix, AT_FIX)
    events += run(voided()[:-1], fix, AT_FIX)
    assert {type(e) for e in events} == set(CEREMONY_EVENTS)
    for event in events:
        assert type(event).TYPE.startswith("ceremony.")
        type_name, version, payload = EVENTS.encode(event)
        stored = json.loads(json.dumps(payload))
        assert EVENTS.decode(type_name, version, stored) == event


# -- the Mechanism on a memory store ---------------------------------------------------


STATES_CSV = (
    "iso3,name_en,untoc_status\n"
    "ARC,Arcadia,party\n"
    "BRD,Borduria,party\n"
    "CUB,Cubaria,signatory\n"
    "NON,Nonesuch,none\n"
)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(T0)


@pytest.fixture
def mech(clock: SimulatedClock) -> Mechanism:
    mechanism = Mechanism(open_memory_store(), clock)
    mechanism.import_registry(STATES_CSV, source="states.csv")
    return mechanism


def test_the_mechanism_runs_a_whole_ceremony_on_the_draws_stream(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    source = commit_reveal(public=published())
    mech.announce_draw(announce(source))
    clock.current = AT_COMMIT
    recorded = mech.commit_secret(commit("ARC"))
    assert recorded[0].actor == "ARC"
    assert recorded[0].stream == "ceremony/trial-1/years"
    mech.commit_secret(commit("BRD"))
    clock.current = AT_REVEAL
    mech.reveal_secret(reveal("ARC"))
    mech.reveal_secret(reveal("BRD"))
    clock.current = AT_FIX
    (fixed,) = mech.fix_seed(
        FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE)
    )
    assert fixed.actor == "secretariat"
    assert fixed.version == 6
    state = mech.ceremony(DRAW)
    reveals = {"ARC": SECRETS["ARC"], "BRD": SECRETS["BRD"]}
    assert state.seed() == independent_seed(INPUTS, BEACON_VALUE.lower(), reveals)
    assert state.require_seed(INPUTS) == state.seed()
    assert state.fixed is not None
    assert state.fixed.excluded == (
        Exclusion(party="CUB", reason=ExclusionReason.NOT_COMMITTED),
    )


def test_a_refused_ceremony_command_records_nothing(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    mech.announce_draw(announce(commit_reveal()))
    clock.current = AT_COMMIT
    mech.commit_secret(commit("ARC"))
    before = mech.store.last_position()
    clock.current = AT_REVEAL
    with pytest.raises(RevealMismatch):
        mech.reveal_secret(RevealSecret(draw_id=DRAW, party="ARC", secret="ff" * 32))
    with pytest.raises(CommitmentRefused):
        mech.commit_secret(commit("BRD"))
    with pytest.raises(DrawAlreadyAnnounced):
        mech.announce_draw(announce(commit_reveal()))
    assert mech.store.last_position() == before


def test_the_mechanism_checks_participants_against_the_registry(
    mech: Mechanism,
) -> None:
    with pytest.raises(InvalidInput, match="registry: NON, ZZZ"):
        mech.announce_draw(announce(commit_reveal(parties=("ARC", "NON", "ZZZ"))))
    assert mech.ceremony(DRAW).status is Status.NOT_ANNOUNCED
    mech.announce_draw(announce(commit_reveal(parties=("ARC", "CUB"))))
    assert mech.ceremony(DRAW).status is Status.OPEN


def test_a_draw_never_announced_reads_as_not_announced(mech: Mechanism) -> None:
    state = mech.ceremony("cycle-2/years")
    assert state.status is Status.NOT_ANNOUNCED
    assert state.draw_id == "cycle-2/years"
    with pytest.raises(UnknownDraw):
        _ = state.source
    with pytest.raises(InvalidInput):
        mech.ceremony("Cycle 2")


def test_ceremonies_of_different_draws_are_independent(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    mech.announce_draw(announce(published()))
    other = "trial-1/year-1/reviewers"
    mech.announce_draw(announce(published(name="drand round 4821400"), draw=other))
    clock.current = AT_FIX
    mech.fix_seed(FixSeed(draw_id=DRAW, value_name=BEACON, value=BEACON_VALUE))
    assert mech.ceremony(DRAW).status is Status.FIXED
    assert mech.ceremony(other).status is Status.OPEN
