"""The research-cases page and the tests agree: each case listed has its tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "research-cases.md"
NOT_APPLICABLE = {"T40"}


def _rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| (T\d\d) \|.*\| (.*) \|$", line)
        if found:
            rows[found[1]] = re.findall(r"`([^`]+\.py)`", found[2])
    return rows


def test_every_case_from_t01_to_t44_is_listed_once() -> None:
    assert sorted(_rows()) == [f"T{n:02d}" for n in range(1, 45)]


def test_each_listed_file_holds_tests_named_after_the_case() -> None:
    for case, files in _rows().items():
        if case in NOT_APPLICABLE:
            assert files == [], case
            continue
        assert files, f"{case} lists no test file"
        for name in files:
            text = (ROOT / name).read_text(encoding="utf-8")
            assert re.search(rf"def test_{case}_", text), f"{case} not in {name}"


def test_no_test_names_a_case_the_page_does_not_place_there() -> None:
    rows = _rows()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        for case in set(re.findall(r"def test_(T\d\d)_", text)):
            relative = str(path.relative_to(ROOT))
            assert relative in rows[case], f"{relative} tests {case}: list it"
