"""The offline checklist workbook: written, filled as a person would, read back.

The "person" fills the workbook with openpyxl. A spreadsheet application escapes
what XML cannot hold when it saves (``_x000D_`` for a carriage return ...);
openpyxl does not, so the filler stores :func:`cell_text` of what it types, as
Excel would.
"""

# ruff: noqa: RUF001 - answers and labels are written in six scripts on purpose

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from untoc_adapters.render import (
    WorkbookRefused,
    read_meta,
    read_workbook,
    write_workbook,
)
from untoc_adapters.render.workbook import LISTS_SHEET, META_SHEET, cell_text
from untoc_core.checklists.form import (
    LABEL_KEYS,
    AnswerKind,
    ChecklistForm,
    FormGroup,
    FormQuestion,
    FormSheet,
    Stakeholder,
    WorkbookMeta,
    answer_digest,
)
from untoc_core.errors import InvalidInput

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
WORD = {
    "ar": "سؤال",
    "zh": "问题",
    "en": "Question",
    "fr": "Question à répondre",
    "ru": "Вопрос",
    "es": "Pregunta año",
}
CHOICES = {
    "ar": ("نعم، تماما", "لا", "جزئيا"),
    "zh": ("是，完全", "否", "部分"),
    "en": ("Yes, fully", "No", "In part"),
    "fr": ("Oui, entièrement", "Non", "En partie"),
    "ru": ("Да, полностью", "Нет", "Частично"),
    "es": ("Sí, plenamente", "No", "En parte"),
}
TEXT = {
    "ar": "  الجريمة المنظمة عبر الوطنية\nالمادة ٥\t(نص)  ",
    "zh": "联合国打击跨国有组织犯罪公约\r\n第五条",
    "en": "=SUM(A1:A2) is not a formula\r\nand +1, -1, @home",
    "fr": "Éléments de réponse : « procès » — déjà ça\n\n",
    "ru": "Конвенция против транснациональной организованной преступности",
    "es": "-Ley núm. 12/2003, artículo 5 ¿sí?",
}
REVIEW = "cycle-1/ARC"
SHA = "ab" * 32


def labels_for(language: str) -> dict[str, str]:
    word = WORD[language]
    labels = {key: f"{word} {key}" for key in LABEL_KEYS}
    for key in LABEL_KEYS:
        if key.startswith("sheet."):
            labels[key] = f"{key[6:]} {word[:8]}"
    labels["guidance.body"] = f"{word} one.\n\n{word} two, with more."
    return labels


def form_for(
    language: str,
    *,
    answers: Mapping[str, str] | None = None,
    stakeholders: tuple[Stakeholder, ...] = (),
    sheet_titles: tuple[str, str] | None = None,
) -> ChecklistForm:
    word = WORD[language]
    codes = ("yes", "no", "partly")
    choices = tuple(zip(codes, CHOICES[language], strict=True))
    general = FormSheet(
        id="general",
        title=sheet_titles[0] if sheet_titles else f"{word} general",
        groups=(
            FormGroup(
                title=f"{word} ratification",
                questions=(
                    FormQuestion(
                        id="general/ratified",
                        article="",
                        kind="ratification",
                        answer=AnswerKind.CHOICE,
                        required=True,
                        text=f"{word}: ratified?",
                        guidance=f"{word} guidance",
                        choices=choices,
                    ),
                    FormQuestion(
                        id="general/ratification-date",
                        article="",
                        kind="ratification-date",
                        answer=AnswerKind.DATE,
                        required=False,
                        text=f"{word}: when?",
                    ),
                ),
            ),
            FormGroup(
                title=f"{word} legal system",
                questions=(
                    FormQuestion(
                        id="general/legal-system",
                        article="",
                        kind="legal-system",
                        answer=AnswerKind.TEXT,
                        required=True,
                        text=f"{word}: describe the legal system",
                    ),
                ),
            ),
        ),
    )
    untoc = FormSheet(
        id="UNTOC",
        title=sheet_titles[1] if sheet_titles else f"{word} UNTOC",
        groups=(
            FormGroup(
                title=f"{word} 5",
                questions=(
                    FormQuestion(
                        id="UNTOC-5/legislation",
                        article="UNTOC 5",
                        kind="legislation",
                        answer=AnswerKind.TEXT,
                        required=True,
                        text=f"{word}: legislation on article 5",
                        guidance=f"{word}: cite the law",
                    ),
                    FormQuestion(
                        id="UNTOC-5/follow-up",
                        article="UNTOC 5",
                        kind="follow-up",
                        answer=AnswerKind.TEXT,
                        required=False,
                        text=f"{word}: what has changed since?",
                        context=f"{word}: the last review observed a gap",
                    ),
                    FormQuestion(
                        id="UNTOC-5/assistance",
                        article="UNTOC 5",
                        kind="technical-assistance",
                        answer=AnswerKind.CHOICE,
                        required=False,
                        text=f"{word}: assistance needed?",
                        choices=choices,
                    ),
                ),
            ),
        ),
    )
    return ChecklistForm(
        review=REVIEW,
        party="ARC",
        language=language,
        right_to_left=language == "ar",
        bank_version="2026.1",
        questions_sha256=SHA,
        draft=3,
        sheets=(general, untoc),
        answers=answers or {},
        stakeholders=stakeholders,
        labels=labels_for(language),
    )


def reopen(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answer_cell(book: Workbook, form: ChecklistForm, question_id: str) -> str:
    """The coordinate of a question's answer cell, found by its id in column A."""
    for sheet in form.sheets:
        ws = book[sheet.title]
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == question_id:
                return f"C{row}"
    raise AssertionError(question_id)


def sheet_of(book: Workbook, form: ChecklistForm, question_id: str) -> str:
    for sheet in form.sheets:
        ws = book[sheet.title]
        if any(
            ws.cell(row, 1).value == question_id for row in range(1, ws.max_row + 1)
        ):
            return str(sheet.title)
    raise AssertionError(question_id)


def type_text(book: Workbook, sheet: str, cell: str, text: str) -> None:
    """Type text in a cell formatted as text, as a spreadsheet application saves it."""
    target = book[sheet][cell]
    target.value = cell_text(text)
    target.data_type = "s"


def edited(
    form: ChecklistForm, edit: Callable[[Workbook], None], data: bytes | None = None
) -> bytes:
    book = reopen(write_workbook(form) if data is None else data)
    edit(book)
    return save(book)


def refused(data: bytes, form: ChecklistForm) -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(data, form)
    return caught.value


# --- round trips ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_answer_typed_in_every_language_comes_back_exactly(
    language: str,
) -> None:
    form = form_for(language)
    book = reopen(write_workbook(form))
    filled = {
        "general/ratified": "no",
        "general/ratification-date": "2004-09-29",
        "general/legal-system": TEXT[language],
        "UNTOC-5/legislation": TEXT[language] * 3,
        "UNTOC-5/follow-up": f"  {WORD[language]}\r\n\t= 1 ",
        "UNTOC-5/assistance": "yes",
    }
    labels = dict(zip(("yes", "no", "partly"), CHOICES[language], strict=True))
    for qid, value in filled.items():
        sheet, cell = sheet_of(book, form, qid), answer_cell(book, form, qid)
        if qid == "general/ratification-date":
            if language in {"ar", "zh", "en"}:
                book[sheet][cell].value = dt.date(2004, 9, 29)
            else:
                type_text(book, sheet, cell, value)
        elif qid in {"general/ratified", "UNTOC-5/assistance"}:
            type_text(book, sheet, cell, labels[value])
        else:
            type_text(book, sheet, cell, value)
    stakeholders_sheet = form.labels["sheet.stakeholders"]
    type_text(book, stakeholders_sheet, "A2", f"{WORD[language]} ministry")
    type_text(book, stakeholders_sheet, "B2", TEXT[language])
    type_text(book, stakeholders_sheet, "A5", "NGO")
    type_text(book, stakeholders_sheet, "B5", " drafted ")

    back = read_workbook(save(book), form)

    assert dict(back.answers) == filled
    for qid, value in filled.items():
        assert back.answers[qid].encode("utf-8") == value.encode("utf-8")
    assert back.stakeholders == (
        Stakeholder(name=f"{WORD[language]} ministry", relevance=TEXT[language]),
        Stakeholder(name="NGO", relevance=" drafted "),
    )
    assert back.meta == WorkbookMeta(
        review=REVIEW,
        language=language,
        bank_version="2026.1",
        questions_sha256=SHA,
        draft=3,
    )
    assert set(back.base) == {q.id for q in form.questions()}
    assert set(back.base.values()) == {answer_digest("")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_prefilled_answers_saved_untouched_come_back_exactly(language: str) -> None:
    answers = {
        "general/ratified": "partly",
        "general/ratification-date": "2000-12-13",
        "general/legal-system": TEXT[language],
        "UNTOC-5/legislation": "=1+2\r\nx\ry",
    }
    people = (Stakeholder(name=WORD[language], relevance="=a\r\n"),)
    form = form_for(language, answers=answers, stakeholders=people)

    resaved = edited(form, lambda _book: None)
    back = read_workbook(resaved, form)

    assert dict(back.answers) == {
        **answers,
        "UNTOC-5/follow-up": "",
        "UNTOC-5/assistance": "",
    }
    assert back.base == {
        q.id: answer_digest(answers.get(q.id, "")) for q in form.questions()
    }
    assert back.stakeholders == people


def test_prefilled_cells_show_labels_dates_and_text_not_formulas() -> None:
    answers = {
        "general/ratified": "yes",
        "general/ratification-date": "2000-12-13",
        "general/legal-system": "=HYPERLINK(1)",
    }
    form = form_for("fr", answers=answers)
    book = reopen(write_workbook(form))
    ws = book[form.sheets[0].title]
    ratified = ws[answer_cell(book, form, "general/ratified")]
    when = ws[answer_cell(book, form, "general/ratification-date")]
    system = ws[answer_cell(book, form, "general/legal-system")]
    assert ratified.value == "Oui, entièrement"
    assert when.value == dt.datetime(2000, 12, 13)  # noqa: DTZ001
    assert when.number_format == "yyyy-mm-dd"
    assert system.value == "=HYPERLINK(1)"
    assert system.data_type == "s"


TRICKY = [
    "",
    " ",
    "\r\n",
    "a\r\nb\rc\nd",
    "\ttab\t",
    "=1+1",
    "+44 20",
    "-5",
    "@user",
    "'quoted",
    "_x000D_ literally",
    "_X0041_ and _x005F_",
    "ctrl \x01\x08\x0b\x0c\x1f end",
    "\ufffe\uffff",
    "\x85 next line \u2028 line sep",
    "😀 𝄞 astral",
    "e\u0301 combining",
    "مرحبا بالعالم",
    "你好，世界",
    "Привет, мир",
    "x" * 20_000,
    "é" * 32_767,
]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_text_survives_typing_and_prefilling(text: str) -> None:
    qid = "UNTOC-5/legislation"
    form = form_for("en", answers={qid: text})
    assert read_workbook(edited(form, lambda _b: None), form).answers[qid] == text
    blank = form_for("en")
    book = reopen(write_workbook(blank))
    type_text(book, blank.sheets[1].title, answer_cell(book, blank, qid), text)
    assert read_workbook(save(book), blank).answers[qid] == text


BLANK_RU = form_for("ru")
BLANK_RU_BYTES = write_workbook(BLANK_RU)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"]),
        max_size=200,
    )
)
def test_any_text_answer_round_trips(text: str) -> None:
    qid = "general/legal-system"
    form = form_for("ru", answers={qid: text})
    back = read_workbook(write_workbook(form), form)
    assert back.answers[qid].encode("utf-8") == text.encode("utf-8")
    assert back.base[qid] == answer_digest(text)
    book = reopen(BLANK_RU_BYTES)
    type_text(book, BLANK_RU.sheets[0].title, "C6", text)
    assert read_workbook(save(book), BLANK_RU).answers[qid] == text


def as_shared_string(data: bytes, sheet_part: str, cell: str, stored: str) -> bytes:
    """The workbook with one cell's text in a shared-strings table, as Excel saves.

    ``stored`` is the text as it stands in the XML, escapes included.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name).decode("utf-8")
            if name == sheet_part:
                start = part.index(f'<c r="{cell}"')
                end = part.index("</c>", start) + len("</c>")
                part = f'{part[:start]}<c r="{cell}" t="s"><v>0</v></c>{part[end:]}'
            elif name == "[Content_Types].xml":
                part = part.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    "application/vnd.openxmlformats-officedocument.spreadsheetml."
                    'sharedStrings+xml" /></Types>',
                )
            target.writestr(name, part)
        target.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main}" count="1" uniqueCount="1"><si>'
            f'<t xml:space="preserve">{stored}</t></si></sst>',
        )
    return out.getvalue()


def test_shared_strings_escapes_are_decoded_as_excel_writes_them() -> None:
    form = form_for("en")
    qid = "general/legal-system"
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, qid)
    assert book.sheetnames.index(form.sheets[0].title) == 1
    data = as_shared_string(
        write_workbook(form),
        "xl/worksheets/sheet2.xml",
        cell,
        "a_x005F_x0041_ x005F_ _x000D_\nb_x0001_",
    )
    assert read_workbook(data, form).answers[qid] == "a_x0041_ x005F_ \r\nb\x01"


def test_writing_twice_reads_back_the_same() -> None:
    form = form_for("zh", answers={"general/legal-system": "同"})
    first, second = write_workbook(form), write_workbook(form)
    assert read_workbook(first, form) == read_workbook(second, form)
    a, b = reopen(first), reopen(second)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in row] for row in a[name].iter_rows()] == [
            [c.value for c in row] for row in b[name].iter_rows()
        ]


def test_whole_numbers_in_text_cells_read_as_digits() -> None:
    form = form_for("en")
    qid = "general/legal-system"
    data = edited(
        form,
        lambda b: b[form.sheets[0].title].__setitem__(answer_cell(b, form, qid), 1998),
    )
    assert read_workbook(data, form).answers[qid] == "1998"


# --- layout -----------------------------------------------------------------------


def test_sheets_in_order_with_hidden_metadata_and_lists() -> None:
    form = form_for("en")
    book = reopen(write_workbook(form))
    assert book.sheetnames == [
        form.labels["sheet.guidance"],
        form.sheets[0].title,
        form.sheets[1].title,
        form.labels["sheet.stakeholders"],
        META_SHEET,
        LISTS_SHEET,
    ]
    assert book[META_SHEET].sheet_state == "veryHidden"
    assert book[LISTS_SHEET].sheet_state == "veryHidden"
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 4
    assert all(ws.protection.sheet for ws in visible)
    assert book[META_SHEET]["B1"].value == "untoc-checklist-workbook/1"


def test_guidance_sheet_holds_title_body_and_identity() -> None:
    form = form_for("es")
    ws = reopen(write_workbook(form))[form.labels["sheet.guidance"]]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert texts[0] == form.labels["guidance.title"]
    for wanted in (
        form.labels["review"],
        REVIEW,
        "ARC",
        "es",
        "3",
        "Pregunta año one.",
        "Pregunta año two, with more.",
        form.labels["guidance.choices"],
        form.labels["guidance.dates"],
    ):
        assert wanted in texts


def test_question_cells_locked_answer_cells_unlocked() -> None:
    form = form_for("en")
    book = reopen(write_workbook(form))
    ws = book[form.sheets[1].title]
    row = int(answer_cell(book, form, "UNTOC-5/follow-up")[1:])
    assert [ws.cell(1, c).value for c in range(2, 7)] == [
        form.labels[f"column.{k}"]
        for k in ("question", "answer", "required", "guidance", "context")
    ]
    assert ws.freeze_panes == "A2"
    for column in "ABDEF":
        assert ws[f"{column}{row}"].protection.locked is True
    assert ws[f"C{row}"].protection.locked is False
    assert ws[f"F{row}"].value == "Question: the last review observed a gap"
    assert ws[f"D{row}"].value == form.labels["optional"]
    stake = book[form.labels["sheet.stakeholders"]]
    assert stake["A1"].value == form.labels["column.stakeholder"]
    assert stake["A201"].protection.locked is False
    assert stake["B201"].protection.locked is False
    assert stake["A1"].protection.locked is True


def test_answers_are_validated_against_hidden_lists_and_dates() -> None:
    form = form_for("fr")
    book = reopen(write_workbook(form))
    ws = book[form.sheets[0].title]
    choice = answer_cell(book, form, "general/ratified")
    date = answer_cell(book, form, "general/ratification-date")
    by_cell = {
        str(ref): dv
        for dv in ws.data_validations.dataValidation
        for ref in dv.sqref.ranges
    }
    assert by_cell[choice].type == "list"
    assert by_cell[choice].formula1 == f"'{LISTS_SHEET}'!$A$1:$A$3"
    assert by_cell[choice].error == form.labels["guidance.choices"]
    assert [book[LISTS_SHEET][f"A{r}"].value for r in (1, 2, 3)] == list(CHOICES["fr"])
    assert by_cell[date].type == "date"
    assert by_cell[date].error == form.labels["guidance.dates"]


def test_arabic_reads_right_to_left() -> None:
    form = form_for("ar")
    book = reopen(write_workbook(form))
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert all(ws.sheet_view.rightToLeft for ws in visible)
    ws = book[form.sheets[0].title]
    assert ws["B3"].alignment.readingOrder == 2
    assert ws["B3"].alignment.horizontal == "right"
    english = reopen(write_workbook(form_for("en")))
    assert not any(ws.sheet_view.rightToLeft for ws in english.worksheets)


def test_sheet_titles_are_made_valid_and_unique() -> None:
    long = "Convention/Protocols: [a very long title indeed]*?"
    form = form_for("en", sheet_titles=(long, long))
    book = reopen(write_workbook(form))
    titles = book.sheetnames[1:3]
    assert titles[0] != titles[1]
    for title in titles:
        assert len(title) <= 31
        assert not set(title) & set("\\/?*[]:")
    back = read_workbook(write_workbook(form), form)
    assert back.answers["general/ratified"] == ""


# --- refusals ---------------------------------------------------------------------


def test_edited_question_text_refused_naming_cell() -> None:
    form = form_for("ru")
    sheet = form.sheets[1].title
    data = edited(form, lambda b: b[sheet].__setitem__("B3", "Другой вопрос"))
    error = refused(data, form)
    assert (error.sheet, error.cell) == (sheet, "B3")
    assert f"sheet {sheet!r}, cell B3:" in str(error)
    assert isinstance(error, InvalidInput)


def test_moved_question_row_refused() -> None:
    form = form_for("en")
    sheet = form.sheets[0].title
    error = refused(edited(form, lambda b: b[sheet].insert_rows(3)), form)
    assert (error.sheet, error.cell) == (sheet, "A3")


@pytest.mark.parametrize(
    ("field", "cell"),
    [
        ("review", "B2"),
        ("bank_version", "B4"),
        ("questions_sha256", "B5"),
        ("language", "B3"),
    ],
)
def test_workbook_for_another_review_or_bank_refused(field: str, cell: str) -> None:
    form = form_for("en")
    other = {
        "review": "cycle-1/BRD",
        "bank_version": "2025.9",
        "questions_sha256": "cd" * 32,
        "language": "fr",
    }
    changes: dict[str, Any] = {field: other[field]}
    data = write_workbook(attrs.evolve(form, **changes))
    error = refused(data, form)
    assert (error.sheet, error.cell) == (META_SHEET, cell)
    assert other[field] in error.problem


def test_choice_outside_its_list_refused() -> None:
    form = form_for("es")
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, "general/ratified")
    type_text(book, form.sheets[0].title, cell, "Yes, fully")  # the English label
    error = refused(save(book), form)
    assert (error.sheet, error.cell) == (form.sheets[0].title, cell)
    assert "Sí, plenamente" in error.problem


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "tomorrow",
        "29/09/2004",
        True,
        1.5,
        dt.datetime(2004, 9, 29, 12),  # noqa: DTZ001
    ],
)
def test_bad_date_refused(value: object) -> None:
    form = form_for("zh")
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, "general/ratification-date")
    book[form.sheets[0].title][cell] = value
    error = refused(save(book), form)
    assert (error.sheet, error.cell) == (form.sheets[0].title, cell)


@pytest.mark.parametrize("question", ["general/legal-system", "general/ratified"])
def test_formula_in_answer_refused(question: str) -> None:
    form = form_for("en")
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, question)
    book[form.sheets[0].title][cell] = "=B3"
    error = refused(save(book), form)
    assert (error.sheet, error.cell, error.problem) == (
        form.sheets[0].title,
        cell,
        "an answer cannot be a formula",
    )


def test_fractional_number_in_text_answer_refused() -> None:
    form = form_for("en")
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, "general/legal-system")
    book[form.sheets[0].title][cell] = 1.5
    error = refused(save(book), form)
    assert error.cell == cell


@pytest.mark.parametrize(
    ("name", "relevance", "empty"), [("Ministry", None, "B7"), (None, "why", "A7")]
)
def test_half_filled_stakeholder_row_refused(
    name: str | None, relevance: str | None, empty: str
) -> None:
    form = form_for("fr")
    sheet = form.labels["sheet.stakeholders"]

    def fill(book: Workbook) -> None:
        book[sheet]["A7"] = name
        book[sheet]["B7"] = relevance

    error = refused(edited(form, fill), form)
    assert (error.sheet, error.cell) == (sheet, empty)


def test_text_longer_than_a_cell_refused_on_write_and_on_read() -> None:
    qid = "general/legal-system"
    with pytest.raises(WorkbookRefused, match="longer than a cell"):
        write_workbook(form_for("en", answers={qid: "x" * 32_768}))
    form = form_for("en")
    book = reopen(write_workbook(form))
    cell = answer_cell(book, form, qid)
    type_text(book, form.sheets[0].title, cell, "😀" * 16_384)  # 32,768 UTF-16 units
    error = refused(save(book), form)
    assert error.cell == cell


def test_lone_surrogate_refused_on_write() -> None:
    with pytest.raises(WorkbookRefused, match="surrogate") as caught:
        write_workbook(form_for("en", answers={"general/legal-system": "a\ud800"}))
    assert caught.value.cell == "C6"


def test_unknown_choice_code_refused_on_write() -> None:
    with pytest.raises(WorkbookRefused, match="not one of its choices"):
        write_workbook(form_for("en", answers={"general/ratified": "maybe"}))


def test_read_meta_says_what_the_workbook_is() -> None:
    meta = read_meta(write_workbook(form_for("ar")))
    assert meta == WorkbookMeta(
        review=REVIEW,
        language="ar",
        bank_version="2026.1",
        questions_sha256=SHA,
        draft=3,
    )


def test_read_meta_refuses_what_is_not_an_xlsx() -> None:
    with pytest.raises(WorkbookRefused, match="not an xlsx workbook"):
        read_meta(b"%PDF-1.7 not a workbook")
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(WorkbookRefused, match="not an xlsx workbook"):
        read_meta(empty_zip.getvalue())


def test_read_meta_refuses_a_workbook_untoc_did_not_write() -> None:
    with pytest.raises(WorkbookRefused, match="no untoc metadata"):
        read_meta(save(Workbook()))
