"""The seed ceremony commands, added to a fresh Typer app, on a real SQLite data dir."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer

from tests.cli_run import cli_clock, flat, json_of, run_cli, sqlite_data_dir
from untoc_adapters.cli import draw_ceremony
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_core.drawing.randomness import commitment

T0 = dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC)
BEACON = "drand round 4821333"
BEACON_VALUE = "ab" * 32
STATES_CSV = (
    "iso3,name_en,untoc_status\n"
    "ARC,Arcadia,party\n"
    "BRD,Borduria,party\n"
    "CUB,Cubaria,party\n"
)


def make_app() -> typer.Typer:
    """A bare app whose callback resolves the settings, as ``untoc``'s does."""
    app = typer.Typer()

    @app.callback()
    def callback(
        ctx: typer.Context,
        data_dir: Annotated[Path, typer.Option("--data-dir")],
    ) -> None:
        ctx.obj = Settings(data_dir=data_dir, store="sqlite")

    app.add_typer(draw_ceremony.app)
    return app


APP = make_app()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimulatedClock:
    return cli_clock(monkeypatch, T0)


@pytest.fixture
def data_dir(tmp_path: Path, clock: SimulatedClock) -> Path:
    return sqlite_data_dir(
        tmp_path / "data",
        clock,
        lambda mech: mech.import_registry(STATES_CSV, source="states.csv"),
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(APP, data_dir, *args)


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def announce_commit_reveal(
    data_dir: Path, inputs: Path, rule: str, *extra: str
) -> dict[str, Any]:
    code, out, err = untoc(
        data_dir,
        "announce",
        "trial-1/years",
        "--inputs",
        str(inputs),
        "--party",
        "ARC",
        "--party",
        "brd",
        "--commit-until",
        stamp(T0 + dt.timedelta(days=7)),
        "--reveal-until",
        stamp(T0 + dt.timedelta(days=14)),
        "--on-missing-reveal",
        rule,
        "--source",
        BEACON,
        "--due",
        stamp(T0 + dt.timedelta(days=15)),
        "--format",
        "hex",
        "--json",
        *extra,
    )
    assert code == 0, err
    return json_of(out)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    path = tmp_path / "inputs.json"
    path.write_bytes(b'{"pool": ["ARC", "BRD", "CUB"], "rules": "resolution 5/5"}')
    return path


def test_a_whole_commit_reveal_ceremony_from_the_command_line(
    data_dir: Path, inputs: Path, workdir: Path, clock: SimulatedClock
) -> None:
    announced = announce_commit_reveal(data_dir, inputs, "exclude")
    digest = hashlib.sha256(inputs.read_bytes()).hexdigest()
    assert announced["stream"] == "ceremony/trial-1/years"
    assert announced["stage"] == "committing"
    assert announced["announcement"]["inputs_sha256"] == digest
    terms = announced["announcement"]["commit_reveal"]
    assert terms["participants"] == ["ARC", "BRD"]
    assert terms["on_missing_reveal"] == "exclude"
    assert terms["public_value"]["name"] == BEACON

    clock.current = T0 + dt.timedelta(days=1)
    code, out, err = untoc(data_dir, "commit", "trial-1/years", "--party", "arc")
    assert code == 0, err
    secret_file = workdir / "untoc-secret-ARC-trial-1_years.json"
    assert "Secret written to untoc-secret-ARC-trial-1_years.json" in flat(err)
    kept = json.loads(secret_file.read_text(encoding="utf-8"))
    assert kept["party"] == "ARC"
    assert kept["draw_id"] == "trial-1/years"
    assert len(kept["secret"]) == 64
    assert kept["commitment"] == commitment("ARC", kept["secret"])
    assert kept["commitment"] in out
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600

    own = workdir / "brd.json"
    code, out, err = untoc(
        data_dir,
        "commit",
        "trial-1/years",
        "--party",
        "BRD",
        "--secret-file",
        str(own),
        "--json",
    )
    assert code == 0, err
    assert json_of(out)["secret_file"] == str(own)

    clock.current = T0 + dt.timedelta(days=8)
    code, out, err = untoc(data_dir, "reveal", "trial-1/years", "--party", "ARC")
    assert code == 0, err
    assert "ARC revealed its secret for draw trial-1/years." in out
    code, out, err = untoc(
        data_dir, "reveal", "trial-1/years", "--party", "BRD", "--secret-file", str(own)
    )
    assert code == 0, err

    clock.current = T0 + dt.timedelta(days=16)
    code, out, err = untoc(
        data_dir,
        "seed",
        "trial-1/years",
        "--source",
        BEACON,
        "--value",
        BEACON_VALUE,
        "--json",
    )
    assert code == 0, err
    document = json_of(out)
    assert document["status"] == "fixed"
    assert document["fixed"]["counted"] == ["ARC", "BRD"]
    secrets_kept = {
        "ARC": kept["secret"],
        "BRD": json.loads(own.read_text(encoding="utf-8"))["secret"],
    }
    canon = json.dumps(secrets_kept, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(
        b"untoc-lots/v1"
        + bytes.fromhex(digest)
        + BEACON_VALUE.encode()
        + hashlib.sha256(canon.encode()).digest()
    ).hexdigest()
    assert document["seed"] == expected

    code, out, _ = untoc(data_dir, "ceremony", "trial-1/years")
    assert code == 0
    assert f"Seed: {expected}" in out
    assert "Reveals counted: ARC, BRD" in out


def test_a_published_seed_from_the_command_line(
    data_dir: Path, clock: SimulatedClock
) -> None:
    digest = hashlib.sha256(b"inputs").hexdigest()
    code, out, err = untoc(
        data_dir,
        "announce",
        "trial-1/year-1/reviewers",
        "--inputs-sha256",
        digest,
        "--source",
        "lottery results of 2027-01-15",
        "--due",
        "2027-01-15T20:00+01:00",
        "--format",
        "numbers",
    )
    assert code == 0, err
    assert "attempt 1: awaiting value" in out
    assert (
        "Source: published value 'lottery results of 2027-01-15', due "
        "2027-01-15T19:00:00Z, format numbers"
    ) in out

    code, _, err = untoc(
        data_dir, "seed", "trial-1/year-1/reviewers", "--source", "x", "--value", "1"
    )
    assert code == 1
    assert "[ToR-5] the public value 'lottery results of 2027-01-15' is not due" in (
        flat(err)
    )

    clock.current = dt.datetime(2027, 1, 16, tzinfo=dt.UTC)
    code, _, err = untoc(
        data_dir,
        "seed",
        "trial-1/year-1/reviewers",
        "--source",
        "lottery results of 2027-01-16",
        "--value",
        "7 13 42",
    )
    assert code == 1
    assert "error: [ToR-5] the value offered is 'lottery results of 2027-01-16'" in (
        flat(err)
    )
    code, out, err = untoc(
        data_dir,
        "seed",
        "trial-1/year-1/reviewers",
        "--source",
        "Lottery results of 2027-01-15",
        "--value",
        "07, 13, 42",
    )
    assert code == 0, err
    assert "Seed of draw trial-1/year-1/reviewers fixed." in out
    code, _, err = untoc(
        data_dir,
        "seed",
        "trial-1/year-1/reviewers",
        "--source",
        "lottery results of 2027-01-15",
        "--value",
        "1 2 3",
    )
    assert code == 1
    assert "it is fixed once" in flat(err)


def test_the_restart_rule_voids_the_ceremony_when_a_reveal_is_withheld(
    data_dir: Path, inputs: Path, workdir: Path, clock: SimulatedClock
) -> None:
    announce_commit_reveal(data_dir, inputs, "restart")
    clock.current = T0 + dt.timedelta(days=1)
    assert untoc(data_dir, "commit", "trial-1/years", "--party", "ARC")[0] == 0
    assert untoc(data_dir, "commit", "trial-1/years", "--party", "BRD")[0] == 0
    clock.current = T0 + dt.timedelta(days=8)
    assert untoc(data_dir, "reveal", "trial-1/years", "--party", "ARC")[0] == 0
    clock.current = T0 + dt.timedelta(days=16)
    code, out, err = untoc(
        data_dir, "seed", "trial-1/years", "--source", BEACON, "--value", BEACON_VALUE
    )
    assert code == 0, err
    assert "is void (withheld reveal; missing: BRD)" in flat(out)
    code, out, _ = untoc(data_dir, "ceremony", "trial-1/years", "--json")
    document = json_of(out)
    assert document["status"] == "voided"
    assert document["seed"] is None
    assert document["voided"][0]["missing"] == [
        {"party": "BRD", "reason": "not_revealed"}
    ]


def test_refusals_exit_1_and_record_nothing(
    data_dir: Path, inputs: Path, workdir: Path, clock: SimulatedClock
) -> None:
    announce_commit_reveal(data_dir, inputs, "exclude")
    code, _, err = untoc(
        data_dir,
        "announce",
        "trial-1/years",
        "--inputs-sha256",
        "0" * 64,
        "--source",
        "drand round 5000000",
        "--due",
        stamp(T0 + dt.timedelta(days=30)),
    )
    assert code == 1
    assert "error: [ToR-5] draw 'trial-1/years' was announced" in flat(err)

    code, _, err = untoc(
        data_dir, "reveal", "trial-1/years", "--secret", "ab" * 32, "--party", "ARC"
    )
    assert code == 1
    assert "reveals for draw 'trial-1/years' open when commitments close" in flat(err)

    code, _, err = untoc(data_dir, "commit", "trial-1/years", "--party", "CUB")
    assert code == 1
    assert "[ToR-5] CUB does not take part" in flat(err)
    assert not (workdir / "untoc-secret-CUB-trial-1_years.json").exists()

    assert untoc(data_dir, "commit", "trial-1/years", "--party", "ARC")[0] == 0
    code, _, err = untoc(data_dir, "commit", "trial-1/years", "--party", "ARC")
    assert code == 1
    assert "already exists; a secret file is never overwritten" in flat(err)

    clock.current = T0 + dt.timedelta(days=8)
    code, _, err = untoc(
        data_dir, "reveal", "trial-1/years", "--party", "ARC", "--secret", "cd" * 32
    )
    assert code == 1
    assert "[ToR-5] the secret does not match the commitment ARC made" in flat(err)
    code, _, err = untoc(
        data_dir,
        "reveal",
        "trial-1/years",
        "--party",
        "BRD",
        "--secret-file",
        "untoc-secret-ARC-trial-1_years.json",
    )
    assert code == 1
    assert "holds the secret of 'ARC'" in flat(err)

    code, _, err = untoc(data_dir, "seed", "trial-1/years")
    assert code == 1
    assert "the seed is fixed after that" in flat(err)

    code, out, _ = untoc(data_dir, "ceremony", "trial-1/years", "--json")
    document = json_of(out)
    assert document["version"] == 2  # the announcement and ARC's commitment
    assert document["stage"] == "revealing"
    assert list(document["commitments"]) == ["ARC"]
    assert document["reveals"] == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (  # a draw the mechanism does not record needs its inputs' hash
            ["announce", "audit/sample-1", "--source", "x", "--due", stamp(T0)],
            "--inputs",
        ),
        (
            [
                "announce",
                "trial-1/years",
                "--inputs-sha256",
                "0" * 64,
                "--source",
                "x",
                "--due",
                "2027-02-01T12:00",
            ],
            "needs a time zone",
        ),
        (
            ["announce", "trial-1/years", "--inputs-sha256", "0" * 64],
            "give the public value",
        ),
        (
            [
                "announce",
                "trial-1/years",
                "--inputs-sha256",
                "0" * 64,
                "--party",
                "ARC",
            ],
            "commit-reveal needs --commit-until",
        ),
        (
            [
                "announce",
                "trial-1/years",
                "--inputs-sha256",
                "0" * 64,
                "--source",
                "x",
                "--due",
                "2027-13-01T00:00Z",
            ],
            "is not a time",
        ),
        (
            [
                "commit",
                "trial-1/years",
                "--party",
                "ARC",
                "--commitment",
                "0" * 64,
                "--secret-file",
                "f.json",
            ],
            "writes no secret file",
        ),
    ],
)
def test_usage_errors_exit_2(
    data_dir: Path, workdir: Path, args: list[str], message: str
) -> None:
    code, _, err = untoc(data_dir, *args)
    assert code == 2
    assert message in flat(err)


def test_a_commitment_computed_elsewhere_is_recorded_as_given(
    data_dir: Path, inputs: Path, workdir: Path, clock: SimulatedClock
) -> None:
    announce_commit_reveal(data_dir, inputs, "exclude")
    clock.current = T0 + dt.timedelta(days=1)
    secret = "5a" * 16
    code, out, err = untoc(
        data_dir,
        "commit",
        "trial-1/years",
        "--party",
        "BRD",
        "--commitment",
        commitment("BRD", secret),
        "--json",
    )
    assert code == 0, err
    assert json_of(out) == {
        "draw_id": "trial-1/years",
        "party": "BRD",
        "commitment": commitment("BRD", secret),
        "secret_file": None,
    }
    assert list(workdir.iterdir()) == []
    clock.current = T0 + dt.timedelta(days=8)
    code, _, err = untoc(
        data_dir, "reveal", "trial-1/years", "--party", "BRD", "--secret", secret
    )
    assert code == 0, err


def test_a_draw_never_announced(data_dir: Path) -> None:
    code, out, _ = untoc(data_dir, "ceremony", "cycle-9/years")
    assert code == 0
    assert "No seed ceremony has been announced for cycle-9/years." in out
    code, _, err = untoc(data_dir, "seed", "cycle-9/years")
    assert code == 1
    assert "no seed ceremony has been announced for draw 'cycle-9/years'" in flat(err)
    code, _, err = untoc(data_dir, "ceremony", "Cycle 9")
    assert code == 1
    assert "is not a draw id" in flat(err)
