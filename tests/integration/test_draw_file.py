"""``untoc draw simulate`` and ``untoc draw verify``: draw files (untoc-draw/1)."""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_run import flat, run_cli
from tests.draw_pools import party
from untoc_adapters.cli import draw as draw_cli
from untoc_adapters.cli.main import app
from untoc_adapters.drawfile import (
    FORMAT,
    TOP_LEVEL_KEYS,
    Mismatch,
    first_difference,
    inputs_sha256,
    load_document,
    simulate_document,
    verify_document,
)
from untoc_core.drawing.pool_csv import parse_pool_csv
from untoc_core.errors import InvalidInput
from untoc_core.terms import Instrument

HEADER = "code,regional_group,legal_traditions,protocols,status\n"
SEED = "00112233445566778899aabbccddeeff"
OTHER_SEED = "00112233445566778899aabbccddeef0"

# Two fictional groups and one State outside the groups. The five TIP+SOM parties
# of the South can review each other without mutual reviews (ten slots on five
# States); the signatory is reviewed but never reviews.
POOL_CSV = """\
code,regional_group,legal_traditions,protocols,status
NAA,North,civil_law,TIP,party
NAB,North,civil_law,,party
NAC,North,common_law,TIP,party
NAD,North,civil_law;common_law,,party
NAE,North,civil_law,TIP,party
NAF,North,civil_law,,party
SAA,South,common_law,TIP;SOM,party
SAB,South,common_law,TIP;SOM,party
SAC,South,common_law,TIP;SOM,party
SAG,South,civil_law,SOM;TIP,party
SAH,South,common_law,TIP;SOM,party
SAD,South,common_law,,party
SAE,South,civil_law,,party
SAF,South,common_law,,signatory
XEU,,civil_law,TIP,party
"""


def untoc(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, tmp_path / "data", *args)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The draw file of POOL_CSV, three years, seed SEED (drawn once per module)."""
    pool = parse_pool_csv(POOL_CSV, source="pool.csv")
    return simulate_document(pool, seed=bytes.fromhex(SEED), years=3)


@pytest.fixture
def pool_file(tmp_path: Path) -> Path:
    path = tmp_path / "pool.csv"
    path.write_text(POOL_CSV, encoding="utf-8")
    return path


def simulate(tmp_path: Path, pool: Path, *extra: str) -> tuple[int, str, str, Path]:
    out = tmp_path / "draw.json"
    code, stdout, stderr = untoc(
        tmp_path,
        "draw",
        "simulate",
        "--seed",
        SEED,
        "--years",
        "3",
        "--parties",
        str(pool),
        "--out",
        str(out),
        *extra,
    )
    return code, stdout, stderr, out


# -- simulate -------------------------------------------------------------------------


def test_simulate_writes_every_field_and_verify_accepts_it(
    tmp_path: Path, pool_file: Path, document: dict[str, Any]
) -> None:
    code, stdout, stderr, out = simulate(tmp_path, pool_file)
    assert code == 0, stderr
    assert stdout == ""
    assert stderr.strip() == f"JSON written to {out}"
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == document  # the library and the command give the same file
    assert tuple(written) == TOP_LEVEL_KEYS
    assert written["format"] == FORMAT == "untoc-draw/1"
    assert written["seed"] == SEED
    assert written["years"] == 3
    assert written["rules"] == {
        "rulebook": "resolution-5-5",
        "min_reviews": 1,
        "max_reviews": 3,
    }
    assert written["inputs_sha256"] == inputs_sha256(3, written["parties"])
    codes = [p["code"] for p in written["parties"]]
    assert codes == sorted(codes)
    assert len(codes) == 15
    sag = next(p for p in written["parties"] if p["code"] == "SAG")
    assert sag == {
        "code": "SAG",
        "regional_group": "South",
        "legal_traditions": ["civil_law"],
        "protocols": ["SOM", "TIP"],
        "status": "party",
    }
    xeu = next(p for p in written["parties"] if p["code"] == "XEU")
    assert xeu["regional_group"] is None
    assert list(written["review_years"]) == ["1", "2", "3"]
    assert sorted(c for y in written["review_years"].values() for c in y) == codes
    assert len(written["reviews"]) == 15
    for review in written["reviews"]:
        assert set(review) == {
            "year",
            "under_review",
            "reviewers",
            "same_region_reviewer",
        }
        assert review["under_review"] in written["review_years"][str(review["year"])]
        assert len(review["reviewers"]) == 2
        if review["under_review"] == "XEU":
            assert review["same_region_reviewer"] is None
        else:
            assert review["same_region_reviewer"] == review["reviewers"][0]
    shuffles = [t for t in written["transcript"] if t["label"].startswith("years/")]
    picks = written["transcript"][len(shuffles) :]
    assert written["transcript"][: len(shuffles)] == shuffles  # shuffles come first
    # Fisher-Yates over 6, 8 and 1 members: 5 + 7 + 0 lots.
    assert len(shuffles) == 12
    assert all(set(s) == {"label", "n", "value", "words"} for s in shuffles)
    assert len(picks) == 30
    for pick in picks:
        assert set(pick) == {
            "label",
            "candidates",
            "candidates_sha256",
            "words",
            "choice",
        }
        assert pick["label"].startswith("reviewers/")
        assert all(isinstance(w, int) and 0 <= w < 2**64 for w in pick["words"])
    assert [p["choice"] for p in picks] == [
        r for review in written["reviews"] for r in review["reviewers"]
    ]
    code, stdout, stderr = untoc(tmp_path, "draw", "verify", str(out))
    assert code == 0, stderr
    assert "verified" in stdout
    assert not (tmp_path / "data").exists()  # neither command needs a data folder


def test_simulate_is_deterministic_and_prints_json_with_json(
    tmp_path: Path, pool_file: Path
) -> None:
    _, _, _, out = simulate(tmp_path, pool_file)
    args = ("draw", "simulate", "--seed", SEED.upper(), "--years", "3")
    code, stdout, stderr = untoc(tmp_path, *args, "--parties", str(pool_file), "--json")
    assert code == 0, stderr
    assert stdout == out.read_text(encoding="utf-8")
    assert json.loads(stdout)["seed"] == SEED  # written in lowercase


def test_simulate_prints_the_reviews_without_json(
    tmp_path: Path, pool_file: Path, document: dict[str, Any]
) -> None:
    args = ("draw", "simulate", "--seed", SEED, "--years", "3")
    code, stdout, stderr = untoc(tmp_path, *args, "--parties", str(pool_file))
    assert code == 0, stderr
    assert "15 States reviewed over 3 year(s), 30 reviewers drawn" in stdout
    xeu = next(r for r in document["reviews"] if r["under_review"] == "XEU")
    row = " ".join(
        ["│", str(xeu["year"]), "│", "XEU", "│", ", ".join(xeu["reviewers"]), "│", "-"]
    )
    assert row in " ".join(stdout.split())
    assert document["inputs_sha256"] in stdout


def test_simulate_on_the_shipped_registry_warns_of_the_stale_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole registry takes long to draw; a small pool stands in for it here,
    # and the next test checks the pool the shipped registry gives.
    small = (
        *(party(f"N{c}A", "North") for c in "ABCDE"),
        *(party(f"S{c}A", "South") for c in "ABCDE"),
    )
    monkeypatch.setattr(draw_cli, "shipped_pool", lambda: small)
    out = tmp_path / "draw.json"
    code, _, stderr = untoc(
        tmp_path, "draw", "simulate", "--seed", SEED, "--years", "2", "--out", str(out)
    )
    assert code == 0, stderr
    warning = flat(stderr)
    assert "warning: the shipped registry snapshot is out of date" in warning
    assert "Protocol membership (TIP, SOM, FIREARMS) (as of 2014-07-10)" in warning
    assert "Legal traditions (as of 2026-01)" in warning
    assert verify_document(json.loads(out.read_text(encoding="utf-8"))) is None


def test_the_shipped_pool_is_every_state_party_and_no_signatory() -> None:
    pool = draw_cli.shipped_pool()
    assert len(pool) == 193
    assert all(p.can_review for p in pool)
    assert [p.code for p in pool] == sorted(p.code for p in pool)
    assert "COG" not in {p.code for p in pool}  # a signatory in the snapshot


INFEASIBLE = {
    "two members review each other": (
        "AAA,Pair,civil_law,,party\nAAB,Pair,civil_law,,party\n"
        + "".join(f"B{c}A,Many,civil_law,,party\n" for c in "ABCDE"),
        "[ToR-19c]",
    ),
    "a group of one": (
        "AAA,Alone,civil_law,,party\n"
        + "".join(f"B{c}A,Many,civil_law,,party\n" for c in "ABCDE"),
        "[ToR-19a] no State party of Alone can be the same-region reviewer of AAA",
    ),
    "no other Firearms party": (
        "FFF,,civil_law,FIREARMS,party\n"
        + "".join(f"B{c}A,Many,civil_law,,party\n" for c in "ABCDE"),
        (
            "[ToR-18bis] no State party is a party to every Protocol FFF is party "
            "to (FIREARMS)"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(INFEASIBLE))
def test_an_infeasible_pool_names_the_provision_and_writes_nothing(
    tmp_path: Path, case: str
) -> None:
    rows, message = INFEASIBLE[case]
    pool = tmp_path / "pool.csv"
    pool.write_text(HEADER + rows, encoding="utf-8")
    code, stdout, stderr, out = simulate(tmp_path, pool)
    assert code == 1
    assert stdout == ""
    assert flat(stderr).startswith("error: [ToR-")
    assert message in flat(stderr)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [pool]  # no temporary file left either


def test_a_refused_draw_leaves_an_earlier_file_as_it_was(tmp_path: Path) -> None:
    rows, _ = INFEASIBLE["a group of one"]
    pool = tmp_path / "pool.csv"
    pool.write_text(HEADER + rows, encoding="utf-8")
    (tmp_path / "draw.json").write_text("earlier\n", encoding="utf-8")
    code, _, _, out = simulate(tmp_path, pool)
    assert code == 1
    assert out.read_text(encoding="utf-8") == "earlier\n"


BAD_FILES = {
    "missing column": (
        "code,regional_group,legal_traditions,status\nAGO,North,civil_law,party\n",
        "row 1, column 'protocols': required column is missing",
    ),
    "unknown protocol": (
        HEADER + "AGO,North,civil_law,TIP,party\nBEN,North,civil_law,TIP;XYZ,party\n",
        "row 3, column 'protocols': 'XYZ' is not a Protocol (TIP, SOM, FIREARMS)",
    ),
    "bad status": (
        HEADER + "AGO,North,civil_law,,observer\n",
        "row 2, column 'status': 'observer' is not a status (party or signatory)",
    ),
    "duplicate code": (
        HEADER + "AGO,North,civil_law,,party\nAGO,North,civil_law,,party\n",
        "row 3, column 'code': AGO already appears on line 2",
    ),
    "bad code": (
        HEADER + "AGOLA,North,civil_law,,party\n",
        "row 2, column 'code': 'AGOLA' is not a three-letter code",
    ),
    "empty file": ("", "row 1, column '(file)': the file is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_pool_file_is_refused_by_line(tmp_path: Path, case: str) -> None:
    text, message = BAD_FILES[case]
    pool = tmp_path / "pool.csv"
    pool.write_text(text, encoding="utf-8")
    code, stdout, stderr, out = simulate(tmp_path, pool)
    assert code == 1
    assert stdout == ""
    assert flat(stderr).startswith(f"error: {pool}: 1 problem(s)")
    assert message in flat(stderr)
    assert not out.exists()


def test_a_missing_pool_file_is_refused(tmp_path: Path) -> None:
    code, _, stderr, out = simulate(tmp_path, tmp_path / "nosuch.csv")
    assert code == 1
    assert "nosuch.csv: no such file" in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("00112233445566778899aabbccddeefg", "'g' is not one"),
        ("0011 2233445566778899aabbccddeeff", "' ' is not one"),
        ("00112233445566778899aabbccddeef", "even number of hex digits"),
        ("00112233445566778899aabbccddee", "at least 16 bytes (32 hex digits)"),
    ],
)
def test_a_bad_seed_is_a_usage_error(
    tmp_path: Path, pool_file: Path, seed: str, message: str
) -> None:
    out = tmp_path / "draw.json"
    code, _, stderr = untoc(
        tmp_path,
        "draw",
        "simulate",
        "--seed",
        seed,
        "--years",
        "3",
        "--parties",
        str(pool_file),
        "--out",
        str(out),
    )
    assert code == 2
    assert "--seed" in flat(stderr)
    assert message in flat(stderr)
    assert not out.exists()


@pytest.mark.parametrize("years", ["0", "101", "three"])
def test_years_out_of_range_are_a_usage_error(tmp_path: Path, years: str) -> None:
    code, _, stderr = untoc(
        tmp_path, "draw", "simulate", "--seed", SEED, "--years", years, "--parties", "x"
    )
    assert code == 2
    assert "--years" in flat(stderr)


def test_the_file_is_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "draw.json"
    target.write_text("earlier\n", encoding="utf-8")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        draw_cli.write_atomically(target, "new text")
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert list(tmp_path.iterdir()) == [target]


def test_the_file_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    target = tmp_path / "draw.json"
    umask = os.umask(0o022)
    try:
        draw_cli.write_atomically(target, "text\n")
    finally:
        os.umask(umask)
    assert target.read_text(encoding="utf-8") == "text\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert list(tmp_path.iterdir()) == [target]


# -- verify: the library -------------------------------------------------------------


def leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every scalar, empty list and empty object of a JSON value."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    else:
        yield path


def json_path(path: tuple[str | int, ...]) -> str:
    text = "$"
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z_]\w*", step):
            text += f".{step}"
        else:
            text += f"['{step}']"
    return text


def changed(value: Any) -> Any:
    """Another value: a bit flipped, a character changed, null toggled."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value ^ 1
    if isinstance(value, str):
        last = "0" if value[-1:] != "0" else "1"  # seeds stay valid hex
        return value[:-1] + last
    if value is None:
        return "North"
    if value == []:
        return ["TIP"]
    return {"x": 1}


def edit(document: dict[str, Any], path: tuple[str | int, ...], new: Any) -> Any:
    edited = copy.deepcopy(document)
    target: Any = edited
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return edited


def get(document: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    value: Any = document
    for step in path:
        value = value[step]
    return value


def test_the_library_accepts_the_untouched_document(document: dict[str, Any]) -> None:
    assert verify_document(copy.deepcopy(document)) is None


def test_every_single_edited_field_is_rejected_at_its_path(
    document: dict[str, Any],
) -> None:
    paths = list(leaves(document))
    assert {p[0] for p in paths} == set(TOP_LEVEL_KEYS)
    assert len(paths) > 300
    for path in paths:
        edited = edit(document, path, changed(get(document, path)))
        mismatch = verify_document(edited)
        assert isinstance(mismatch, Mismatch), path
        if path[0] in ("years", "parties"):
            # an input: caught by its hash even if it gave the same draw
            assert mismatch.path == "$.inputs_sha256", (path, mismatch)
        elif path[0] == "seed":
            # another valid seed: the replay draws something else
            assert mismatch.path.startswith(("$.review_years", "$.transcript"))
        else:
            assert mismatch.path == json_path(path), (path, mismatch)
        assert str(mismatch).startswith(mismatch.path + ": expected ")


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("format",), "untoc-draw/2", "$.format"),
        (("seed",), SEED.upper(), "$.seed"),
        (("seed",), "xyz", "$.seed"),
        (("seed",), 7, "$.seed"),
        (("rules", "max_reviews"), 4, "$.rules.max_reviews"),
        (("reviews", 0, "year"), 1.0, "$.reviews[0].year"),
        (("reviews", 0, "year"), True, "$.reviews[0].year"),
        (("review_years", "1"), [], "$.review_years['1'][0]"),
        (("transcript", 0, "words"), "1", "$.transcript[0].words"),
    ],
)
def test_edits_of_form_are_rejected_too(
    document: dict[str, Any], path: tuple[str | int, ...], value: Any, where: str
) -> None:
    mismatch = verify_document(edit(document, path, value))
    assert mismatch is not None
    assert mismatch.path == where


def test_an_edited_input_with_a_matching_hash_is_still_checked(
    document: dict[str, Any],
) -> None:
    edited = edit(document, ("parties", 0, "protocols"), ["XYZ"])
    edited["inputs_sha256"] = inputs_sha256(edited["years"], edited["parties"])
    mismatch = verify_document(edited)
    assert mismatch is not None
    assert mismatch.path == "$.parties[0].protocols[0]"
    assert mismatch.expected == "one of TIP, SOM, FIREARMS"
    edited = edit(document, ("years",), 2)
    edited["inputs_sha256"] = inputs_sha256(2, edited["parties"])
    mismatch = verify_document(edited)
    assert mismatch is not None
    assert mismatch.path.startswith("$.review_years")
    edited = edit(document, ("years",), 10**9)  # refused before anything is drawn
    edited["inputs_sha256"] = inputs_sha256(10**9, edited["parties"])
    mismatch = verify_document(edited)
    assert mismatch is not None
    assert (mismatch.path, mismatch.found) == ("$.years", "1000000000")


def test_extra_missing_and_reordered_entries_are_rejected(
    document: dict[str, Any],
) -> None:
    extra = copy.deepcopy(document)
    extra["comment"] = "looks fine"
    assert verify_document(extra) == Mismatch(
        path="$.comment",
        expected="nothing",
        found='"looks fine"',
        note="this key is not part of the format",
    )
    missing = copy.deepcopy(document)
    del missing["reviews"][4]["same_region_reviewer"]
    found = verify_document(missing)
    assert found is not None
    assert found.path == "$.reviews[4].same_region_reviewer"
    assert found.found == "nothing (no such key)"
    longer = copy.deepcopy(document)
    longer["transcript"].append(longer["transcript"][-1])
    found = verify_document(longer)
    assert found is not None
    assert found.path == f"$.transcript[{len(document['transcript'])}]"
    assert found.expected == "nothing"
    swapped = copy.deepcopy(document)
    swapped["parties"][0], swapped["parties"][1] = (
        swapped["parties"][1],
        swapped["parties"][0],
    )
    found = verify_document(swapped)  # same hash (code order), other layout
    assert found is not None
    assert found.path == "$.parties[0].code"
    no_hash = copy.deepcopy(document)
    del no_hash["inputs_sha256"]
    found = verify_document(no_hash)
    assert found is not None
    assert found.path == "$.inputs_sha256"
    assert verify_document([document]) == Mismatch(
        path="$", expected="a JSON object", found=json.dumps([document])[:97] + "..."
    )


def test_first_difference_walks_in_a_fixed_order() -> None:
    assert first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) is None
    assert first_difference({"a": 1, "b": 2}, {"b": 3, "a": 0}) == Mismatch(
        path="$.a", expected="1", found="0"
    )
    assert first_difference({"a": [1, 2]}, {"a": [1]}) == Mismatch(
        path="$.a[1]", expected="2", found="nothing", note="the list has 1 items, not 2"
    )
    assert first_difference({"a b": 1}, {"a b": 1, "c'": 2}) == Mismatch(
        path="$['c\\'']",
        expected="nothing",
        found="2",
        note="this key is not part of the format",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON: Expecting property name"),
        ('{"a": 1, "a": 2}', "the key 'a' appears twice in one object"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": "\\ud800"}', "a string holds a lone surrogate"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_json_that_readers_could_disagree_on_is_refused(
    text: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        load_document(text, source="draw.json")


def test_the_replay_gives_the_same_document_with_another_exact_solver(
    document: dict[str, Any],
) -> None:
    from untoc_core.drawing.search import SearchSolver  # noqa: PLC0415

    assert verify_document(copy.deepcopy(document), solver=SearchSolver()) is None


def test_a_signatory_in_the_pool_is_reviewed_but_never_reviews(
    document: dict[str, Any],
) -> None:
    reviewers = {r for review in document["reviews"] for r in review["reviewers"]}
    assert "SAF" not in reviewers
    assert "SAF" in {review["under_review"] for review in document["reviews"]}
    tip = {
        p["code"] for p in document["parties"] if Instrument.TIP.value in p["protocols"]
    }
    for review in document["reviews"]:
        if review["under_review"] in tip:
            assert set(review["reviewers"]) <= tip  # ToR 18 bis


# -- verify: the command --------------------------------------------------------------


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_verify_names_an_edited_reviewer_with_expected_and_found(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    original = document["reviews"][3]["reviewers"][1]
    other = next(p["code"] for p in document["parties"] if p["code"] != original)
    path = write(tmp_path, edit(document, ("reviews", 3, "reviewers", 1), other))
    code, stdout, stderr = untoc(tmp_path, "draw", "verify", str(path))
    assert code == 1
    assert stdout == ""
    assert flat(stderr) == (
        f"error: {path}: does not verify; first mismatch at "
        f'$.reviews[3].reviewers[1]: expected "{original}", found "{other}"'
    )


def test_verify_names_an_edited_word_of_the_transcript(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    word = document["transcript"][17]["words"][0]
    path = write(tmp_path, edit(document, ("transcript", 17, "words", 0), word + 1))
    code, _, stderr = untoc(tmp_path, "draw", "verify", str(path))
    assert code == 1
    assert f"$.transcript[17].words[0]: expected {word}, found {word + 1}" in flat(
        stderr
    )


def test_verify_catches_another_seed(tmp_path: Path, document: dict[str, Any]) -> None:
    path = write(tmp_path, edit(document, ("seed",), OTHER_SEED))
    code, _, stderr = untoc(tmp_path, "draw", "verify", str(path))
    assert code == 1
    assert "first mismatch at $." in flat(stderr)


def test_verify_catches_an_edited_party(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    path = write(tmp_path, edit(document, ("parties", 14, "regional_group"), "North"))
    code, _, stderr = untoc(tmp_path, "draw", "verify", str(path))
    assert code == 1
    assert "first mismatch at $.inputs_sha256: expected" in flat(stderr)
    assert "one of them, or the hash, was changed" in flat(stderr)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double"),
        ('{"format": "untoc-draw/2"}', '$.format: expected "untoc-draw/1", found'),
        ("[1, 2]", "first mismatch at $: expected a JSON object, found [1, 2]"),
        ("", "not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_verify_refuses_what_is_not_a_draw_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "draw.json"
    path.write_text(text, encoding="utf-8")
    code, _, stderr = untoc(tmp_path, "draw", "verify", str(path))
    assert code == 1
    assert flat(stderr).startswith(f"error: {path}: ")
    assert message in flat(stderr)


def test_verify_of_a_missing_file_exits_1(tmp_path: Path) -> None:
    code, _, stderr = untoc(tmp_path, "draw", "verify", str(tmp_path / "no.json"))
    assert code == 1
    assert "no.json: no such file" in stderr
