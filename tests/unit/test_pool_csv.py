"""Pool files of a simulated draw: every bad cell is named by its line and column."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.draw_pools import party
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.pool_csv import (
    LEGAL_TRADITIONS,
    POOL_COLUMNS,
    format_pool_csv,
    parse_pool_csv,
)
from untoc_core.errors import FileRefused, RowProblem
from untoc_core.terms import Instrument, TreatyStatus

HEADER = "code,regional_group,legal_traditions,protocols,status\n"


def refused(text: str) -> list[RowProblem]:
    with pytest.raises(FileRefused) as caught:
        parse_pool_csv(text, source="pool.csv")
    assert str(caught.value).startswith("pool.csv: ")
    return list(caught.value.problems)


def only(text: str) -> RowProblem:
    problems = refused(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_pool_file_gives_each_state_as_the_draw_sees_it() -> None:
    pool = parse_pool_csv(
        HEADER + "MOZ,African States,civil_law;customary_law,TIP;SOM,party\n"
        "AGO,African States,civil_law,FIREARMS,party\n"
        "XEU,,civil_law,,party\n"
        "COG,African States,civil_law,,signatory\n",
        source="pool.csv",
    )
    assert [p.code for p in pool] == ["AGO", "COG", "MOZ", "XEU"]  # code order
    moz = pool[2]
    assert moz == DrawParty(
        code="MOZ",
        regional_group="African States",
        legal_traditions=frozenset({"civil_law", "customary_law"}),
        protocols=frozenset({Instrument.TIP, Instrument.SOM}),
        status=TreatyStatus.PARTY,
    )
    assert pool[3].regional_group is None  # empty: outside the regional groups
    assert pool[1].status is TreatyStatus.SIGNATORY
    assert not pool[1].can_review


def test_case_spaces_mixed_a_bom_and_other_columns_are_tolerated() -> None:
    pool = parse_pool_csv(
        "\ufeffnote,code,regional_group,legal_traditions,protocols,status\n"
        "hello, ago , North ,civil_law; common_law ;mixed,tip; Firearms;,Party\n",
        source="pool.csv",
    )
    assert pool == (
        party(
            "AGO",
            "North",
            (Instrument.TIP, Instrument.FIREARMS),
            ("civil_law", "common_law"),
        ),
    )


def test_any_group_name_is_kept_as_written() -> None:
    (only_party,) = parse_pool_csv(
        HEADER + "AGO,Fictional Group Ω,,,party\n", source="pool.csv"
    )
    assert only_party.regional_group == "Fictional Group Ω"
    assert only_party.legal_traditions == frozenset()


@pytest.mark.parametrize("column", POOL_COLUMNS)
def test_a_missing_column_is_named_on_line_1(column: str) -> None:
    header = ",".join(c for c in POOL_COLUMNS if c != column)
    problem = only(header + "\nAGO,x,y,z\n")
    assert (problem.row, problem.column) == (1, column)
    assert "required column is missing" in problem.reason


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("AG,North,civil_law,,party", "code", "'AG' is not a three-letter code"),
        ("A1C,North,civil_law,,party", "code", "'A1C' is not a three-letter code"),
        (",North,civil_law,,party", "code", "'' is not a three-letter code"),
        ("AGO,North,civil_law,TIP;XYZ,party", "protocols", "'XYZ' is not a Protocol"),
        ("AGO,North,civil_law,UNTOC,party", "protocols", "'UNTOC' is not a Protocol"),
        ("AGO,North,civil_law,,none", "status", "'none' is not a status"),
        ("AGO,North,civil_law,,", "status", "'' is not a status"),
        ("AGO,North,roman_law,,party", "legal_traditions", "'roman_law' is not a"),
        ("AGO,North,civil_law,TIP,signatory", "protocols", "art. 37(2)"),
        ("AGO,North,civil_law,,party,extra", "(row)", "more cells than columns"),
    ],
)
def test_each_bad_cell_is_named_by_line_and_column(
    row: str, column: str, reason: str
) -> None:
    problem = only(HEADER + "BEN,North,civil_law,,party\n" + row + "\n")
    assert (problem.row, problem.column) == (3, column)
    assert reason in problem.reason
    assert str(problem).startswith(f"row 3, column {column!r}: ")


def test_an_unknown_protocol_lists_the_three_protocols() -> None:
    problem = only(HEADER + "AGO,North,,TIP;SOMM,party\n")
    assert "TIP, SOM, FIREARMS" in problem.reason


def test_a_duplicate_code_names_the_line_it_first_appeared_on() -> None:
    problem = only(
        HEADER
        + "AGO,North,civil_law,,party\n"
        + "BEN,North,civil_law,,party\n"
        + "ago,South,common_law,,party\n"
    )
    assert (problem.row, problem.column) == (4, "code")
    assert "AGO already appears on line 2" in problem.reason


def test_every_problem_of_the_file_is_listed() -> None:
    problems = refused(
        HEADER
        + "AGO,North,civil_law,,party\n"
        + "X,North,civil_law,,party\n"
        + "BEN,North,civil_law,ABC,maybe\n"
    )
    assert [(p.row, p.column) for p in problems] == [
        (3, "code"),
        (4, "protocols"),
        (4, "status"),
    ]


def test_line_numbers_count_lines_of_the_file_not_records() -> None:
    problem = only(
        HEADER + '"AGO","North\nand more",civil_law,,party\n' + "BEN,x,y,,party\n"
    )
    assert problem.row == 4  # the second record starts after a two-line cell


def test_an_empty_file_is_refused_on_line_1() -> None:
    problem = only("")
    assert (problem.row, problem.column) == (1, "(file)")
    assert "the file is empty" in problem.reason
    assert ",".join(POOL_COLUMNS) in problem.reason


def test_a_file_with_a_header_and_no_states_is_refused() -> None:
    problem = only(HEADER)
    assert (problem.row, problem.reason) == (2, "the file has no States")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEADER + 'AGO,"North,civil_law,,party\n', 2),
        (HEADER + "AGO,North,,,party\n" + 'BEN,"No"rth,civil_law,,party\n', 3),
    ],
)
def test_text_that_is_not_csv_is_refused_with_its_line(text: str, line: int) -> None:
    problem = only(text)
    assert (problem.row, problem.column) == (line, "(file)")
    assert problem.reason.startswith("not valid CSV: ")


codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
draw_parties = st.builds(
    lambda code, group, traditions, protocols, signatory: party(
        code,
        group,
        () if signatory else tuple(protocols),
        tuple(traditions),
        TreatyStatus.SIGNATORY if signatory else TreatyStatus.PARTY,
    ),
    codes,
    st.one_of(st.none(), st.sampled_from(["North", "South", "African States"])),
    st.sets(st.sampled_from(LEGAL_TRADITIONS)),
    st.sets(st.sampled_from(Instrument.protocols())),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(draw_parties, min_size=1, max_size=12, unique_by=lambda p: p.code))
def test_a_formatted_pool_reads_back_unchanged(pool: list[DrawParty]) -> None:
    text = format_pool_csv(pool)
    assert text.splitlines()[0] == ",".join(POOL_COLUMNS)
    assert parse_pool_csv(text, source="pool.csv") == tuple(
        sorted(pool, key=lambda p: p.code)
    )
