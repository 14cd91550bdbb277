"""The self-assessment checklist as an xlsx workbook, filled offline and read back.

:func:`write_workbook` turns a :class:`ChecklistForm` into the bytes of a workbook:
a guidance sheet, one sheet per part of the form (question id, question, answer,
required or optional, guidance, context), a stakeholders sheet, and two sheets the
person filling it never sees (``veryHidden``): ``_lists``, the labels that choice
answers are validated against, and ``_untoc``, what the workbook is (format, review,
language, question bank version and checksum, draft) and where each question is,
with the digest of its answer when it was written.

:func:`read_workbook` takes a returned workbook back against the review's current
form and refuses it, naming the sheet and the cell, if anything but answers and
stakeholders was changed or if an answer cell holds something an answer cannot be.

Sheet protection (no password) only prevents accidental edits; the checks made on
import are what enforce the layout.

Text is kept exactly. Cell text is written with the escapes of the xlsx format
(ECMA-376 ``ST_Xstring``): a carriage return, the control characters XML cannot
hold and U+FFFE/U+FFFF are written ``_xHHHH_``, and a literal ``_xHHHH_`` is
written ``_x005F_xHHHH_``, as spreadsheet applications do; the escapes are
decoded on import. Lone surrogates, which UTF-8 cannot hold, and text longer than
a cell can hold (32,767 UTF-16 code units) are refused.

Answer cells:

* text: kept exactly as written. Text answer cells are formatted as text (``@``), so
  a spreadsheet application keeps typed digits as text. A whole number found in
  one anyway (pasted, or written by a program) is read as its decimal digits; any
  other number, a date, a truth value or a formula is refused.
* choice: one of the labels offered, in the workbook's language, read as its code.
* date: a date cell (with no time of day) or the text ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, Final
from xml.etree.ElementTree import ParseError

import attrs
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.text import Text  # type: ignore[import-untyped]
from openpyxl.reader.excel import ExcelReader  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Font,
    PatternFill,
    Protection,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import (  # type: ignore[import-untyped]
    InvalidFileException,
)
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]
    DataValidation,
)
from openpyxl.xml.constants import (  # type: ignore[import-untyped]
    SHARED_STRINGS,
    SHEET_MAIN_NS,
)
from openpyxl.xml.functions import iterparse  # type: ignore[import-untyped]

from untoc_core.checklists.form import (
    AnswerKind,
    ChecklistForm,
    FilledWorkbook,
    FormQuestion,
    Stakeholder,
    WorkbookMeta,
    answer_digest,
)
from untoc_core.errors import InvalidInput

FORMAT: Final = "untoc-checklist-workbook/1"
"""The format written in the metadata sheet; a workbook of another format is refused."""
META_SHEET: Final = "_untoc"
"""The ``veryHidden`` sheet holding what the workbook is."""
LISTS_SHEET: Final = "_lists"
"""The ``veryHidden`` sheet holding the labels of choice answers."""
MAX_CELL_TEXT: Final = 32_767
"""The most text a cell holds, in UTF-16 code units."""
STAKEHOLDER_ROWS: Final = 200
"""Empty rows left on the stakeholders sheet."""

_FIXED_TIME: Final = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - xlsx times are naive
_DATE_FORMAT: Final = "yyyy-mm-dd"
_TEXT_FORMAT: Final = "@"
_SHEET_TITLE_MAX: Final = 31
_DV_MESSAGE_MAX: Final = 255
_DV_TITLE_MAX: Final = 32
_HEADER_ROW: Final = 1

_COL_ID, _COL_TEXT, _COL_ANSWER, _COL_REQUIRED, _COL_GUIDANCE, _COL_CONTEXT = (
    1,
    2,
    3,
    4,
    5,
    6,
)
_ANSWER_LETTER: Final = "C"

# Metadata sheet: key/value rows, then a header row and one row per question.
_META_KEYS: Final = (
    "format",
    "review",
    "language",
    "bank_version",
    "questions_sha256",
    "draft",
)
_META_QUESTIONS_HEADER: Final = len(_META_KEYS) + 2
_META_FIRST_QUESTION: Final = _META_QUESTIONS_HEADER + 1

_NEEDS_ESCAPE = re.compile(
    "_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]"
)
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")

_GREY = Font(size=8, color="808080")
_BOLD = Font(bold=True)
_HEADING = Font(bold=True, size=14)
_ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow, as guidance says
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_GROUP_FILL = PatternFill("solid", fgColor="EEEEEE")
_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)


class WorkbookRefused(InvalidInput):
    """A workbook cannot be written or taken; names the sheet and the cell.

    Attributes:
        problem: What is wrong.
        sheet: The sheet it is on, or ``""``.
        cell: The cell (``C14``), or ``""``.
    """

    def __init__(self, problem: str, *, sheet: str = "", cell: str = "") -> None:
        where = ", ".join(
            part
            for part in (
                f"sheet {sheet!r}" if sheet else "",
                f"cell {cell}" if cell else "",
            )
            if part
        )
        super().__init__(f"{where}: {problem}" if where else problem)
        self.problem = problem
        self.sheet = sheet
        self.cell = cell


# --- cell text --------------------------------------------------------------------


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _check_text(text: str, *, sheet: str, cell: str) -> None:
    """Refuse text that no cell can hold exactly."""
    if _SURROGATE.search(text):
        raise WorkbookRefused(
            "the text holds a lone surrogate, which UTF-8 cannot hold",
            sheet=sheet,
            cell=cell,
        )
    if _utf16_length(text) > MAX_CELL_TEXT:
        raise WorkbookRefused(
            f"the text is longer than a cell holds ({MAX_CELL_TEXT} characters)",
            sheet=sheet,
            cell=cell,
        )


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def cell_text(text: str) -> str:
    """The text to store in a cell for ``text`` to read back exactly.

    This is the ``ST_Xstring`` escaping spreadsheet applications apply when they
    save: a carriage return, the control characters XML cannot hold, U+FFFE and
    U+FFFF become ``_xHHHH_``, and a literal ``_xHHHH_`` becomes
    ``_x005F_xHHHH_``. A program that fills a workbook with openpyxl (which does
    not escape) stores ``cell_text(answer)`` for the answer to read back exactly.
    """
    return _escape(text)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _put_text(cell: Any, text: str, *, sheet: str) -> None:
    """Write text in a cell as text, never as a formula."""
    _check_text(text, sheet=sheet, cell=cell.coordinate)
    if text == "":
        cell.value = None
        return
    cell.value = _escape(text)
    cell.data_type = "s"


# --- layout -----------------------------------------------------------------------


@attrs.frozen
class _Place:
    sheet: str
    row: int


def _sheet_titles(form: ChecklistForm) -> tuple[str, tuple[str, ...], str]:
    """Titles of the guidance sheet, of each form sheet and of the stakeholders one."""
    taken = {META_SHEET.casefold(), LISTS_SHEET.casefold(), "history"}

    def title(wanted: str, fallback: str) -> str:
        base = _SHEET_FORBIDDEN.sub(" ", wanted).strip().strip("'").strip()
        base = base or fallback
        candidate = _fit(base)
        n = 2
        while candidate.casefold() in taken:
            suffix = f" ({n})"
            candidate = _fit(base, len(suffix)) + suffix
            n += 1
        taken.add(candidate.casefold())
        return candidate

    guidance = title(form.labels.get("sheet.guidance", ""), "guidance")
    sheets = tuple(title(s.title, s.id) for s in form.sheets)
    stakeholders = title(form.labels.get("sheet.stakeholders", ""), "stakeholders")
    return guidance, sheets, stakeholders


def _fit(text: str, reserve: int = 0) -> str:
    limit = _SHEET_TITLE_MAX - reserve
    while _utf16_length(text) > limit:
        text = text[:-1]
    return text.rstrip().rstrip("'")


def _layout(form: ChecklistForm) -> dict[str, _Place]:
    """Where each question goes: header row, then per group a heading and its rows."""
    _, titles, _ = _sheet_titles(form)
    places: dict[str, _Place] = {}
    for sheet, title in zip(form.sheets, titles, strict=True):
        row = _HEADER_ROW
        for group in sheet.groups:
            row += 1  # the group's heading
            for question in group.questions:
                row += 1
                if question.id in places:
                    raise WorkbookRefused(
                        f"question {question.id!r} appears twice in the form"
                    )
                places[question.id] = _Place(title, row)
    return places


def answer_cell(form: ChecklistForm, question_id: str) -> tuple[str, str]:
    """The sheet title and cell (``C14``) of a question's answer in ``form``'s workbook.

    Raises:
        WorkbookRefused: the form asks no such question.
    """
    place = _layout(form).get(question_id)
    if place is None:
        raise WorkbookRefused(f"the form asks no question {question_id!r}")
    return place.sheet, f"{_ANSWER_LETTER}{place.row}"


# --- writing ----------------------------------------------------------------------


def write_workbook(form: ChecklistForm) -> bytes:
    """The workbook in which the form's questions are answered offline.

    Args:
        form: The review's checklist in one language, with its current answers.

    Returns:
        The bytes of an xlsx workbook.

    Raises:
        WorkbookRefused: an answer cannot be written exactly (a lone surrogate,
            text longer than a cell holds), a choice answer's code is not offered,
            a date answer is not ``YYYY-MM-DD``, or the form repeats a question.
    """
    places = _layout(form)
    guidance_title, titles, stakeholders_title = _sheet_titles(form)
    book = Workbook()
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "untoc"
    book.iso_dates = False
    guidance = book.active
    guidance.title = guidance_title
    _write_guidance(form, guidance)
    lists = book.create_sheet(LISTS_SHEET)
    list_ranges: dict[tuple[str, ...], str] = {}
    for sheet, title in zip(form.sheets, titles, strict=True):
        ws = book.create_sheet(title)
        _write_form_sheet(form, ws, sheet.groups, places, lists, list_ranges)
    stake = book.create_sheet(stakeholders_title)
    _write_stakeholders(form, stake)
    meta = book.create_sheet(META_SHEET)
    _write_meta(form, meta, places)
    book.move_sheet(lists, offset=len(book.sheetnames) - 1)
    for ws in (lists, meta):
        ws.sheet_state = "veryHidden"
        ws.protection.sheet = True
    for ws in book.worksheets:
        if ws.sheet_state == "visible":
            ws.protection.sheet = True
            ws.protection.formatColumns = False
            ws.protection.formatRows = False
            ws.print_options.gridLines = True
            ws.page_setup.orientation = "landscape"
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            if form.right_to_left:
                ws.sheet_view.rightToLeft = True
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _alignment(form: ChecklistForm, *, wrap: bool = True) -> Alignment:
    if form.right_to_left:
        return Alignment(
            wrap_text=wrap, vertical="top", horizontal="right", readingOrder=2
        )
    return Alignment(wrap_text=wrap, vertical="top")


def _write_guidance(form: ChecklistForm, ws: Any) -> None:
    labels = form.labels
    title = ws.title
    align = _alignment(form)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    row = 1
    heading = ws.cell(row, 1)
    _put_text(heading, labels.get("guidance.title", ""), sheet=title)
    heading.font = _HEADING
    heading.alignment = _alignment(form, wrap=False)
    row += 2
    for key, value in (
        ("review", form.review),
        ("party", form.party),
        ("language", form.language),
        ("draft", str(form.draft)),
    ):
        label = ws.cell(row, 1)
        _put_text(label, labels.get(key, key), sheet=title)
        label.font = _BOLD
        label.alignment = align
        cell = ws.cell(row, 2)
        _put_text(cell, value, sheet=title)
        cell.alignment = align
        row += 1
    row += 1
    paragraphs = [
        p.strip() for p in re.split(r"\n\s*\n", labels.get("guidance.body", ""))
    ]
    paragraphs += [labels.get("guidance.choices", ""), labels.get("guidance.dates", "")]
    for paragraph in paragraphs:
        if not paragraph:
            continue
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = ws.cell(row, 1)
        _put_text(cell, paragraph, sheet=title)
        cell.alignment = align
        lines = sum(1 + len(line) // 110 for line in paragraph.splitlines())
        ws.row_dimensions[row].height = 15 * max(1, lines)
        row += 1


def _write_form_sheet(  # noqa: PLR0913, PLR0917 - one sheet needs all of these
    form: ChecklistForm,
    ws: Any,
    groups: Sequence[Any],
    places: Mapping[str, _Place],
    lists: Any,
    list_ranges: dict[tuple[str, ...], str],
) -> None:
    labels = form.labels
    title = ws.title
    align = _alignment(form)
    widths = {
        "A": 16,
        "B": _WIDTH_TEXT,
        "C": _WIDTH_ANSWER,
        "D": 12,
        "E": _WIDTH_NOTES,
        "F": _WIDTH_NOTES,
    }
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    headers = {
        _COL_ID: "ID",
        _COL_TEXT: labels.get("column.question", ""),
        _COL_ANSWER: labels.get("column.answer", ""),
        _COL_REQUIRED: labels.get("column.required", ""),
        _COL_GUIDANCE: labels.get("column.guidance", ""),
        _COL_CONTEXT: labels.get("column.context", ""),
    }
    for column, text in headers.items():
        cell = ws.cell(_HEADER_ROW, column)
        _put_text(cell, text, sheet=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = align
    ws.freeze_panes = "A2"
    for group in groups:
        if group.questions:
            _write_group_heading(form, ws, group.title, places[group.questions[0].id])
        for question in group.questions:
            _write_question(form, ws, question, places[question.id].row, align)
    _add_validations(form, ws, groups, places, lists, list_ranges)


def _write_group_heading(
    form: ChecklistForm, ws: Any, title: str, first: _Place
) -> None:
    row = first.row - 1
    cell = ws.cell(row, _COL_ID)
    _put_text(cell, title, sheet=ws.title)
    cell.font = _BOLD
    cell.fill = _GROUP_FILL
    cell.alignment = _alignment(form, wrap=False)
    ws.merge_cells(
        start_row=row, start_column=_COL_ID, end_row=row, end_column=_COL_CONTEXT
    )


def _add_validations(  # noqa: PLR0913, PLR0917 - one sheet needs all of these
    form: ChecklistForm,
    ws: Any,
    groups: Sequence[Any],
    places: Mapping[str, _Place],
    lists: Any,
    list_ranges: dict[tuple[str, ...], str],
) -> None:
    """A list validation per set of choices, a date validation for dates."""
    labels = form.labels
    date_validation = _date_validation(labels)
    validations: dict[tuple[str, ...], Any] = {}
    for group in groups:
        for question in group.questions:
            answer = f"{_ANSWER_LETTER}{places[question.id].row}"
            if question.answer is AnswerKind.CHOICE:
                options = tuple(label for _, label in question.choices)
                if options not in validations:
                    source = _list_range(lists, options, list_ranges)
                    validations[options] = _choice_validation(labels, source)
                validations[options].add(answer)
            elif question.answer is AnswerKind.DATE:
                date_validation.add(answer)
    for validation in validations.values():
        ws.add_data_validation(validation)
    if date_validation.sqref.ranges:
        ws.add_data_validation(date_validation)


def _write_question(
    form: ChecklistForm, ws: Any, question: FormQuestion, row: int, align: Alignment
) -> None:
    title = ws.title
    labels = form.labels
    ident = ws.cell(row, _COL_ID)
    _put_text(ident, question.id, sheet=title)
    ident.font = _GREY
    ident.alignment = _alignment(form, wrap=False)
    text = ws.cell(row, _COL_TEXT)
    _put_text(text, question.text, sheet=title)
    text.alignment = align
    flag = ws.cell(row, _COL_REQUIRED)
    _put_text(
        flag,
        labels.get("required" if question.required else "optional", ""),
        sheet=title,
    )
    flag.alignment = align
    guidance = ws.cell(row, _COL_GUIDANCE)
    _put_text(guidance, question.guidance, sheet=title)
    guidance.alignment = align
    context = ws.cell(row, _COL_CONTEXT)
    _put_text(context, question.context, sheet=title)
    context.alignment = align
    for cell in (ident, text, flag, guidance, context):
        cell.protection = _LOCKED
    answer = ws.cell(row, _COL_ANSWER)
    answer.protection = _UNLOCKED
    answer.fill = _ANSWER_FILL
    answer.alignment = align
    value = form.answers.get(question.id, "")
    _write_answer(answer, question, value, title)
    ws.row_dimensions[row].height = _row_height(
        (question.text, _WIDTH_TEXT),
        (question.guidance, _WIDTH_NOTES),
        (question.context, _WIDTH_NOTES),
        (value, _WIDTH_ANSWER),
    )


_WIDTH_TEXT: Final = 60
_WIDTH_ANSWER: Final = 50
_WIDTH_NOTES: Final = 45
_LINE_POINTS: Final = 15
_MAX_ROW_POINTS: Final = 409  # the tallest row a spreadsheet allows


def _row_height(*texts: tuple[str, int]) -> float:
    """A row tall enough for its wrapped texts, since files carry no auto-fit.

    A line holds about one character per unit of column width; East Asian wide
    characters take two.
    """
    lines = 1
    for text, width in texts:
        count = 0
        for line in text.split("\n"):
            units = sum(
                2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line
            )
            count += max(1, -(-units // width))
        lines = max(lines, count)
    return float(min(_MAX_ROW_POINTS, _LINE_POINTS * lines))


def _write_answer(cell: Any, question: FormQuestion, value: str, sheet: str) -> None:
    where = {"sheet": sheet, "cell": cell.coordinate}
    if question.answer is AnswerKind.DATE:
        cell.number_format = _DATE_FORMAT
        if value:
            cell.value = _parse_iso_date(value, **where)
        return
    cell.number_format = _TEXT_FORMAT
    if question.answer is AnswerKind.CHOICE:
        labels = [label for _, label in question.choices]
        if len(set(labels)) != len(labels):
            raise WorkbookRefused(
                f"question {question.id!r} offers the same label twice", **where
            )
        if value:
            by_code = dict(question.choices)
            if value not in by_code:
                raise WorkbookRefused(
                    f"answer {value!r} of {question.id!r} is not one of its choices",
                    **where,
                )
            value = by_code[value]
    _put_text(cell, value, sheet=sheet)


def _parse_iso_date(value: str, *, sheet: str, cell: str) -> dt.date:
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise WorkbookRefused(
        f"{value!r} is not a date (YYYY-MM-DD)", sheet=sheet, cell=cell
    )


def _list_range(
    lists: Any, options: tuple[str, ...], list_ranges: dict[tuple[str, ...], str]
) -> str:
    """The range of ``_lists`` holding these labels, written the first time."""
    if options not in list_ranges:
        column = len(list_ranges) + 1
        for row, label in enumerate(options, start=1):
            _put_text(lists.cell(row, column), label, sheet=LISTS_SHEET)
        letter = get_column_letter(column)
        end = max(1, len(options))
        list_ranges[options] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${end}"
    return list_ranges[options]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _choice_validation(labels: Mapping[str, str], source: str) -> Any:
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_short(labels.get("column.answer", ""), _DV_TITLE_MAX) or None,
        error=_short(labels.get("guidance.choices", ""), _DV_MESSAGE_MAX) or None,
    )


def _date_validation(labels: Mapping[str, str]) -> Any:
    return DataValidation(
        type="date",
        operator="between",
        formula1="1",
        formula2="2958465",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_short(labels.get("column.answer", ""), _DV_TITLE_MAX) or None,
        error=_short(labels.get("guidance.dates", ""), _DV_MESSAGE_MAX) or None,
    )


def _write_stakeholders(form: ChecklistForm, ws: Any) -> None:
    title = ws.title
    align = _alignment(form)
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 70
    for column, key in ((1, "column.stakeholder"), (2, "column.relevance")):
        cell = ws.cell(_HEADER_ROW, column)
        _put_text(cell, form.labels.get(key, ""), sheet=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = align
    ws.freeze_panes = "A2"
    last = _HEADER_ROW + len(form.stakeholders) + STAKEHOLDER_ROWS
    for row in range(_HEADER_ROW + 1, last + 1):
        for column in (1, 2):
            cell = ws.cell(row, column)
            cell.protection = _UNLOCKED
            cell.fill = _ANSWER_FILL
            cell.alignment = align
            cell.number_format = _TEXT_FORMAT
    for row, stakeholder in enumerate(form.stakeholders, start=_HEADER_ROW + 1):
        _put_text(ws.cell(row, 1), stakeholder.name, sheet=title)
        _put_text(ws.cell(row, 2), stakeholder.relevance, sheet=title)


def _write_meta(form: ChecklistForm, ws: Any, places: Mapping[str, _Place]) -> None:
    values: dict[str, str | int] = {
        "format": FORMAT,
        "review": form.review,
        "language": form.language,
        "bank_version": form.bank_version,
        "questions_sha256": form.questions_sha256,
        "draft": form.draft,
    }
    for row, key in enumerate(_META_KEYS, start=1):
        ws.cell(row, 1).value = key
        value = values[key]
        if isinstance(value, int):
            ws.cell(row, 2).value = value
        else:
            _put_text(ws.cell(row, 2), value, sheet=META_SHEET)
    for column, text in enumerate(("question", "sheet", "row", "base"), start=1):
        ws.cell(_META_QUESTIONS_HEADER, column).value = text
    for row, question in enumerate(form.questions(), start=_META_FIRST_QUESTION):
        place = places[question.id]
        _put_text(ws.cell(row, 1), question.id, sheet=META_SHEET)
        _put_text(ws.cell(row, 2), place.sheet, sheet=META_SHEET)
        ws.cell(row, 3).value = place.row
        ws.cell(row, 4).value = answer_digest(form.answers.get(question.id, ""))


# --- reading ----------------------------------------------------------------------


class _RawStringsReader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader, keeping shared strings as stored (escapes included).

    openpyxl drops every ``x005F_`` from shared strings, which decodes some escapes
    and not others; the escapes are decoded here instead, all in one place.
    """

    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is None:
            return
        tag = f"{{{SHEET_MAIN_NS}}}si"
        strings: list[str] = []
        with self.archive.open(ct.PartName[1:]) as src:
            for _, node in iterparse(src):
                if node.tag == tag:
                    strings.append(Text.from_tree(node).content)
                    node.clear()
        self.shared_strings = strings


_UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    ParseError,
)


def _load(data: bytes) -> Any:
    try:
        reader = _RawStringsReader(io.BytesIO(data), read_only=False, data_only=False)
        reader.read()
    except _UNREADABLE as exc:
        raise WorkbookRefused(
            f"this is not an xlsx workbook that can be read ({type(exc).__name__})"
        ) from None
    return reader.wb


def _meta(book: Any) -> WorkbookMeta:
    if META_SHEET not in book.sheetnames:
        raise WorkbookRefused(
            f"this workbook has no untoc metadata (no sheet {META_SHEET!r}); "
            "it was not written by untoc"
        )
    ws = book[META_SHEET]
    found: dict[str, Any] = {}
    for row, key in enumerate(_META_KEYS, start=1):
        if ws.cell(row, 1).value != key:
            raise WorkbookRefused(
                f"expected the key {key!r}", sheet=META_SHEET, cell=f"A{row}"
            )
        found[key] = ws.cell(row, 2).value
    if found["format"] != FORMAT:
        raise WorkbookRefused(
            f"format {found['format']!r} is not {FORMAT!r}", sheet=META_SHEET, cell="B1"
        )
    draft = found["draft"]
    if not isinstance(draft, int) or isinstance(draft, bool):
        raise WorkbookRefused(
            "the draft is not a whole number",
            sheet=META_SHEET,
            cell=f"B{_META_KEYS.index('draft') + 1}",
        )
    texts: dict[str, str] = {}
    for key in ("review", "language", "bank_version", "questions_sha256"):
        value = found[key]
        texts[key] = "" if value is None else _unescape(str(value))
    return WorkbookMeta(
        review=texts["review"],
        language=texts["language"],
        bank_version=texts["bank_version"],
        questions_sha256=texts["questions_sha256"],
        draft=draft,
    )


def read_meta(data: bytes) -> WorkbookMeta:
    """What a returned workbook says it is: review, language, bank, draft.

    Args:
        data: The bytes of the returned file.

    Returns:
        The workbook's metadata, unchecked against any review.

    Raises:
        WorkbookRefused: the file is not an xlsx workbook, or has no untoc metadata.
    """
    return _meta(_load(data))


def read_workbook(data: bytes, form: ChecklistForm) -> FilledWorkbook:
    """The answers and stakeholders of a returned workbook, checked against its form.

    Args:
        data: The bytes of the returned file.
        form: The review's current form, in the workbook's language (see
            :func:`read_meta`).

    Returns:
        The answer of every question of the form (``""`` when empty), the digests
        of the answers when the workbook was written, and the stakeholders listed.

    Raises:
        WorkbookRefused: the workbook is not for this review, bank version,
            questions or language; a question was edited, moved or removed; an
            answer cell holds something the answer cannot be; or a stakeholder row
            has a name without relevance or the other way round.
    """
    book = _load(data)
    meta = _meta(book)
    _check_meta(meta, form)
    places = _layout(form)
    base = _read_bases(book, form, places)
    answers: dict[str, str] = {}
    for question in form.questions():
        place = places[question.id]
        if place.sheet not in book.sheetnames:
            raise WorkbookRefused("this sheet is missing", sheet=place.sheet)
        ws = book[place.sheet]
        _check_question(ws, question, place.row)
        answers[question.id] = _read_answer(ws, question, place.row)
    _, _, stakeholders_title = _sheet_titles(form)
    if stakeholders_title not in book.sheetnames:
        raise WorkbookRefused("this sheet is missing", sheet=stakeholders_title)
    stakeholders = _read_stakeholders(book[stakeholders_title])
    return FilledWorkbook(
        meta=meta, answers=answers, base=base, stakeholders=stakeholders
    )


def _check_meta(meta: WorkbookMeta, form: ChecklistForm) -> None:
    for key, cell, found, wanted in (
        ("review", "B2", meta.review, form.review),
        ("language", "B3", meta.language, form.language),
        ("bank_version", "B4", meta.bank_version, form.bank_version),
        ("questions_sha256", "B5", meta.questions_sha256, form.questions_sha256),
    ):
        if found != wanted:
            raise WorkbookRefused(
                f"the workbook is for {key} {found!r}, not {wanted!r}",
                sheet=META_SHEET,
                cell=cell,
            )


def _read_bases(
    book: Any, form: ChecklistForm, places: Mapping[str, _Place]
) -> dict[str, str]:
    ws = book[META_SHEET]
    base: dict[str, str] = {}
    for row, question in enumerate(form.questions(), start=_META_FIRST_QUESTION):
        place = places[question.id]
        found = (
            _plain(ws.cell(row, 1).value),
            _plain(ws.cell(row, 2).value),
            ws.cell(row, 3).value,
        )
        if found != (question.id, place.sheet, place.row):
            raise WorkbookRefused(
                f"the workbook does not place question {question.id!r} where this "
                "form does",
                sheet=META_SHEET,
                cell=f"A{row}",
            )
        digest = ws.cell(row, 4).value
        if not isinstance(digest, str) or not re.fullmatch("[0-9a-f]{64}", digest):
            raise WorkbookRefused(
                "not an answer digest", sheet=META_SHEET, cell=f"D{row}"
            )
        base[question.id] = digest
    extra = ws.cell(_META_FIRST_QUESTION + len(base), 1).value
    if extra is not None:
        raise WorkbookRefused(
            f"the workbook has a question this form does not ({extra!r})",
            sheet=META_SHEET,
            cell=f"A{_META_FIRST_QUESTION + len(base)}",
        )
    return base


def _plain(value: Any) -> Any:
    return _unescape(value) if isinstance(value, str) else value


def _check_question(ws: Any, question: FormQuestion, row: int) -> None:
    for column, wanted, what in (
        (_COL_ID, question.id, "question id"),
        (_COL_TEXT, question.text, "question"),
    ):
        cell = ws.cell(row, column)
        value = cell.value
        found = "" if value is None else _plain(value)
        if cell.data_type == "f" or found != wanted:
            raise WorkbookRefused(
                f"the {what} was changed or moved: expected {_short(wanted, 80)!r}",
                sheet=ws.title,
                cell=cell.coordinate,
            )


def _read_answer(ws: Any, question: FormQuestion, row: int) -> str:
    cell = ws.cell(row, _COL_ANSWER)
    where = {"sheet": ws.title, "cell": cell.coordinate}
    value = cell.value
    if cell.data_type == "f":
        raise WorkbookRefused("an answer cannot be a formula", **where)
    if cell.data_type == "e":
        raise WorkbookRefused(f"an answer cannot be an error ({value})", **where)
    if value is None:
        return ""
    if question.answer is AnswerKind.DATE:
        return _read_date(value, **where)
    text = _answer_text(value, **where)
    if question.answer is AnswerKind.CHOICE and text:
        by_label = {label: code for code, label in question.choices}
        if text not in by_label:
            offered = ", ".join(repr(label) for label in by_label)
            raise WorkbookRefused(
                f"{_short(text, 80)!r} is not one of the choices offered ({offered})",
                **where,
            )
        return by_label[text]
    return text


def _answer_text(value: Any, *, sheet: str, cell: str) -> str:
    """The text of a text or choice answer cell: text, or a whole number's digits."""
    if isinstance(value, bool):
        raise WorkbookRefused(
            "an answer cannot be TRUE or FALSE", sheet=sheet, cell=cell
        )
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if not isinstance(value, str):
        raise WorkbookRefused(
            f"expected text, found {type(value).__name__} {value!r}; "
            "type the answer as text",
            sheet=sheet,
            cell=cell,
        )
    text = _unescape(value)
    _check_text(text, sheet=sheet, cell=cell)
    return text


def _read_date(value: Any, *, sheet: str, cell: str) -> str:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise WorkbookRefused(
                f"{value.isoformat()} has a time of day; enter a date only",
                sheet=sheet,
                cell=cell,
            )
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = _unescape(value)
        if text == "":
            return ""
        return _parse_iso_date(text, sheet=sheet, cell=cell).isoformat()
    raise WorkbookRefused(
        f"{value!r} is not a date; enter a date (YYYY-MM-DD)", sheet=sheet, cell=cell
    )


def _read_stakeholders(ws: Any) -> tuple[Stakeholder, ...]:
    found: list[Stakeholder] = []
    for row in range(_HEADER_ROW + 1, ws.max_row + 1):
        name_cell, relevance_cell = ws.cell(row, 1), ws.cell(row, 2)
        name = _stakeholder_text(name_cell, ws.title)
        relevance = _stakeholder_text(relevance_cell, ws.title)
        if not name.strip() and not relevance.strip():
            continue
        for cell, text, what in (
            (name_cell, name, "a relevance with no stakeholder"),
            (relevance_cell, relevance, "a stakeholder with no relevance"),
        ):
            if not text.strip():
                raise WorkbookRefused(
                    f"row {row} has {what}", sheet=ws.title, cell=cell.coordinate
                )
        found.append(Stakeholder(name=name, relevance=relevance))
    return tuple(found)


def _stakeholder_text(cell: Any, sheet: str) -> str:
    where = {"sheet": sheet, "cell": cell.coordinate}
    value = cell.value
    if cell.data_type == "f":
        raise WorkbookRefused("a stakeholder cannot be a formula", **where)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise WorkbookRefused(f"expected text, found {value!r}", **where)
    text = _unescape(value)
    _check_text(text, **where)
    return text
