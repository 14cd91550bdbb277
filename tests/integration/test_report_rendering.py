"""Reports rendered as DOCX, HTML and PDF, in the six official languages, read back.

Each language has a document written by hand in its script: a title, headings at
three levels, numbered paragraphs, a quotation in another language, a note, a list
and a table. DOCX is read back with python-docx, HTML with the standard library's
parser, PDF with poppler's ``pdftotext`` (which gives right-to-left text in its
logical order) and pypdf (the fonts embedded).

The PDF tests need WeasyPrint, the Noto fonts and poppler-utils (``.ci/fonts``
installs them): they fail, never skip, when something is missing.
"""

# ruff: noqa: RUF001 - the documents are written in six scripts on purpose

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile
from html.parser import HTMLParser
from typing import Any

import attrs
import docx
import pypdf
import pytest

from untoc_adapters.render.docx import render_docx
from untoc_adapters.render.html import render_html
from untoc_adapters.render.plain import (
    PlainDocument,
    PlainHeading,
    PlainItems,
    PlainParagraph,
    PlainTable,
    Run,
    Runs,
)
from untoc_core.reports.document import Style

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@attrs.frozen(kw_only=True)
class Sample:
    """The words of one language's sample document."""

    language: str
    title: str
    marking: str
    dated: str
    synthetic: str
    headings: tuple[str, str, str]
    paragraphs: tuple[str, str]
    quote: tuple[str, str]
    """A quotation and the language it is in (never the document's)."""
    marker: str
    """What follows content held in another language."""
    note: str
    items: tuple[str, str]
    header: tuple[str, str]
    row: tuple[str, str]


SAMPLES = {
    "ar": Sample(
        language="ar",
        title="تقرير الاستعراض القطري",
        marking="سري",
        dated="١ كانون الثاني/يناير ٢٠٢٥",
        synthetic="محتوى تجريبي",
        headings=("أولا - مقدمة", "ألف - الخلفية", "النطاق والمنهجية"),
        paragraphs=(
            "تتناول هذه الوثيقة تنفيذ الاتفاقية في الدولة الطرف",
            "قدمت الدولة الطرف ردودها على قائمة التقييم الذاتي",
        ),
        quote=(
            "Each State Party shall adopt such legislative measures.",
            "en",
        ),
        marker=" (بالإنكليزية)",
        note="لم ترد أي معلومات.",
        items=("التشريعات الوطنية", "المؤسسات المختصة"),
        header=("المادة", "الحالة"),
        row=("المادة الخامسة", "منفذة"),
    ),
    "zh": Sample(
        language="zh",
        title="国别审议报告",
        marking="机密",
        dated="2025年1月1日",
        synthetic="演示内容",
        headings=("一、导言", "（一）背景", "审议范围和方法"),
        paragraphs=(
            "本文件审查缔约国对公约的实施情况。",
            "缔约国提交了对自评清单的答复。",
        ),
        quote=("Each State Party shall adopt such legislative measures.", "en"),
        marker="（英文）",
        note="未记录任何信息。",
        items=("国内立法", "主管机构"),
        header=("条款", "状态"),
        row=("第五条", "已执行"),
    ),
    "en": Sample(
        language="en",
        title="Country review report",
        marking="Confidential",
        dated="1 January 2025",
        synthetic="Demonstration content",
        headings=("I. Introduction", "A. Background", "Scope and method"),
        paragraphs=(
            "This document reviews the implementation of the Convention.",
            "The State party replied to the self-assessment checklist.",
        ),
        quote=(
            "Chaque État Partie adopte les mesures législatives nécessaires.",
            "fr",
        ),
        marker=" (in French)",
        note="No information was recorded.",
        items=("National legislation", "Competent authorities"),
        header=("Article", "Status"),
        row=("Article 5", "Implemented"),
    ),
    "fr": Sample(
        language="fr",
        title="Rapport d’examen de pays",
        marking="Confidentiel",
        dated="1er janvier 2025",
        synthetic="Contenu de démonstration",
        headings=("I. Introduction", "A. Contexte", "Portée et méthode"),
        paragraphs=(
            "Le présent document examine l’application de la Convention.",
            "L’État partie a répondu à la liste d’auto-évaluation.",
        ),
        quote=("Each State Party shall adopt such legislative measures.", "en"),
        marker=" (en anglais)",
        note="Aucune information n’a été enregistrée.",
        items=("Législation nationale", "Autorités compétentes"),
        header=("Article", "État"),
        row=("Article 5", "Appliqué"),
    ),
    "ru": Sample(
        language="ru",
        title="Доклад о страновом обзоре",
        marking="Конфиденциально",
        dated="1 января 2025 года",
        synthetic="Демонстрационные данные",
        headings=("I. Введение", "A. Общие сведения", "Сфера охвата и методы"),
        paragraphs=(
            "В настоящем документе рассматривается осуществление Конвенции.",
            "Государство-участник ответило на контрольный перечень.",
        ),
        quote=("Each State Party shall adopt such legislative measures.", "en"),
        marker=" (на английском языке)",
        note="Информация не зарегистрирована.",
        items=("Национальное законодательство", "Компетентные органы"),
        header=("Статья", "Статус"),
        row=("Статья 5", "Осуществляется"),
    ),
    "es": Sample(
        language="es",
        title="Informe del examen del país",
        marking="Confidencial",
        dated="1 de enero de 2025",
        synthetic="Contenido de demostración",
        headings=("I. Introducción", "A. Antecedentes", "Alcance y método"),
        paragraphs=(
            "El presente documento examina la aplicación de la Convención.",
            "El Estado parte respondió a la lista de autoevaluación.",
        ),
        quote=("Each State Party shall adopt such legislative measures.", "en"),
        marker=" (en inglés)",
        note="No se ha registrado información.",
        items=("Legislación nacional", "Autoridades competentes"),
        header=("Artículo", "Estado"),
        row=("Artículo 5", "Aplicado"),
    ),
}
LANGUAGES = tuple(SAMPLES)


def build(sample: Sample, extra: Runs = ()) -> PlainDocument:
    """The sample document of a language (``extra`` runs end the first paragraph)."""
    lang = sample.language

    def runs(text: str) -> Runs:
        return (Run(text=text, language=lang),)

    quote_text, quote_language = sample.quote
    return PlainDocument(
        kind="country-report",
        language=lang,
        right_to_left=lang == "ar",
        title=runs(sample.title),
        marking=sample.marking,
        dated=sample.dated,
        synthetic=sample.synthetic,
        blocks=(
            PlainHeading(level=1, runs=runs(sample.headings[0])),
            PlainHeading(level=2, runs=runs(sample.headings[1])),
            PlainParagraph(runs=runs(sample.paragraphs[0]) + extra, number=11),
            PlainHeading(level=3, runs=runs(sample.headings[2])),
            PlainParagraph(runs=runs(sample.paragraphs[1]), number=12),
            PlainParagraph(
                runs=(
                    Run(text=quote_text, language=quote_language),
                    Run(text=sample.marker, language=lang),
                ),
                style=Style.QUOTE,
            ),
            PlainParagraph(runs=runs(sample.note), style=Style.NOTE),
            PlainItems(items=tuple(runs(item) for item in sample.items)),
            PlainTable(
                header=tuple(runs(h) for h in sample.header),
                rows=(tuple(runs(c) for c in sample.row),),
            ),
        ),
    )


def in_order(sample: Sample) -> list[str]:
    """The texts of a sample document, in reading order."""
    return [
        sample.title,
        sample.dated,
        sample.synthetic,
        sample.headings[0],
        sample.headings[1],
        sample.paragraphs[0],
        sample.headings[2],
        sample.paragraphs[1],
        sample.quote[0],
        sample.marker,
        sample.note,
        *sample.items,
        *sample.header,
        *sample.row,
    ]


# --- DOCX -----------------------------------------------------------------------


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_uses_word_heading_styles_in_order(language: str) -> None:
    sample = SAMPLES[language]
    word = read_docx(render_docx(build(sample)))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style is not None]
    assert styled[0] == ("Title", sample.title)
    headings = [(name, text) for name, text in styled if name.startswith("Heading")]
    assert headings == [
        ("Heading 1", sample.headings[0]),
        ("Heading 2", sample.headings[1]),
        ("Heading 3", sample.headings[2]),
    ]
    texts = [text for _, text in styled]
    assert texts[1:3] == [sample.dated, sample.synthetic]
    assert f"11.\t{sample.paragraphs[0]}" in texts
    assert f"12.\t{sample.paragraphs[1]}" in texts
    quote = next(p for p in word.paragraphs if p.style and p.style.name == "Quote")
    assert quote.text == sample.quote[0] + sample.marker
    assert (quote.paragraph_format.left_indent or 0) > 0
    note = next(p for p in word.paragraphs if p.text == sample.note)
    assert all(run.font.italic for run in note.runs)
    bullets = [
        p.text
        for p in word.paragraphs
        if p.style is not None and p.style.name == "List Bullet"
    ]
    assert bullets == list(sample.items)
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == list(sample.header)
    assert [c.text for c in table.rows[1].cells] == list(sample.row)
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    header = word.sections[0].header
    assert [p.text for p in header.paragraphs] == [sample.marking]
    assert word.core_properties.title == sample.title
    assert word.core_properties.language.startswith(language)


def test_docx_sets_arabic_right_to_left() -> None:
    sample = SAMPLES["ar"]
    word = read_docx(render_docx(build(sample)))
    assert word.sections[0]._sectPr.find(f"{W}bidi") is not None
    body = [p for p in word.paragraphs if p.text]
    for paragraph in body:
        assert paragraph._p.find(f"{W}pPr/{W}bidi") is not None, paragraph.text
    header = word.sections[0].header.paragraphs[0]
    assert header._p.find(f"{W}pPr/{W}bidi") is not None
    (table,) = word.tables
    assert table._tbl.tblPr.find(f"{W}bidiVisual") is not None
    for paragraph in body:
        for run in paragraph.runs:
            rtl = run.font.rtl
            lang = run._r.find(f"{W}rPr/{W}lang")
            assert lang is not None
            if run.text == sample.quote[0]:
                # English inside the Arabic document keeps left to right.
                assert not rtl
                assert lang.get(f"{W}val") == "en-GB"
            elif any("\u0600" <= ch <= "\u06ff" for ch in run.text):
                assert rtl, run.text
                assert lang.get(f"{W}bidi") == "ar-SA"


def test_docx_sets_chinese_east_asian_language() -> None:
    word = read_docx(render_docx(build(SAMPLES["zh"])))
    langs = {
        lang.get(f"{W}eastAsia")
        for paragraph in word.paragraphs
        for run in paragraph.runs
        if (lang := run._r.find(f"{W}rPr/{W}lang")) is not None
    }
    assert "zh-CN" in langs
    assert not any(run.font.rtl for p in word.paragraphs for run in p.runs)


def test_docx_of_a_left_to_right_document_has_no_bidi() -> None:
    word = read_docx(render_docx(build(SAMPLES["fr"])))
    assert word.sections[0]._sectPr.find(f"{W}bidi") is None
    assert all(p._p.find(f"{W}pPr/{W}bidi") is None for p in word.paragraphs)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_docx_renders_the_same_bytes_twice(language: str) -> None:
    doc = build(SAMPLES[language])
    first, second = render_docx(doc), render_docx(doc)
    with (
        zipfile.ZipFile(io.BytesIO(first)) as a,
        zipfile.ZipFile(io.BytesIO(second)) as b,
    ):
        assert a.read("word/document.xml") == b.read("word/document.xml")
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
    assert first == second


def test_docx_keeps_markup_in_content_as_text() -> None:
    extra = (Run(text=" <script>alert(1)</script> & <b>", language="en"),)
    word = read_docx(render_docx(build(SAMPLES["en"], extra)))
    assert any("<script>alert(1)</script> & <b>" in p.text for p in word.paragraphs)


def test_docx_runs_keep_tabs_line_breaks_and_edge_spaces() -> None:
    extra = (Run(text=" two\tcolumns\nand a line ", language="en"),)
    word = read_docx(render_docx(build(SAMPLES["ar"], extra)))
    (run,) = [r for p in word.paragraphs for r in p.runs if "columns" in r.text]
    assert run.text == " two\tcolumns\nand a line "
    content = [child.tag for child in run._r if child.tag != f"{W}rPr"]
    assert content == [f"{W}t", f"{W}tab", f"{W}t", f"{W}br", f"{W}t"]
    texts = run._r.findall(f"{W}t")
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert [t.get(space) for t in texts] == ["preserve", None, "preserve"]
    assert run._r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-GB"
    assert not run.font.rtl


def test_docx_paragraphs_of_one_kind_each_have_their_own_properties() -> None:
    sample = SAMPLES["ar"]
    word = read_docx(render_docx(build(sample)))
    numbered = [p for p in word.paragraphs if p.text.startswith(("11.", "12."))]
    assert len(numbered) == 2
    first, second = (p._p.pPr for p in numbered)
    assert first is not second
    for paragraph in numbered:
        fmt = paragraph.paragraph_format
        assert fmt.first_line_indent is not None
        assert fmt.first_line_indent < 0
        assert len(fmt.tab_stops) == 1
        assert paragraph._p.find(f"{W}pPr/{W}bidi") is not None
    first.remove(first.find(f"{W}bidi"))
    assert second.find(f"{W}bidi") is not None


# --- HTML -----------------------------------------------------------------------


class Outline(HTMLParser):
    """The elements of a page, with the text each directly holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "link"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack:
            self.texts.append((self.stack[-1], data))


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_has_language_direction_and_outline(language: str) -> None:
    sample = SAMPLES[language]
    page = render_html(build(sample))
    assert page.startswith("<!DOCTYPE html>")
    parsed = outline(page)
    tag, attributes = parsed.elements[0]
    assert tag == "html"
    assert attributes["lang"] == language
    assert attributes["dir"] == ("rtl" if language == "ar" else "ltr")
    headings = [(t, text) for t, text in parsed.texts if re.fullmatch(r"h\d", t)]
    assert headings == [
        ("h1", sample.title),
        ("h2", sample.headings[0]),
        ("h3", sample.headings[1]),
        ("h4", sample.headings[2]),
    ]
    assert ("header", sample.marking) in parsed.texts
    assert ("li", sample.items[0]) in parsed.texts
    assert ("th", sample.header[0]) in parsed.texts
    assert ("td", sample.row[1]) in parsed.texts
    assert ("span", sample.quote[0]) in parsed.texts
    spans = [a for t, a in parsed.elements if t == "span" and "lang" in a]
    assert spans == [{"lang": sample.quote[1], "dir": "auto"}]
    texts = [text for _, text in parsed.texts]
    assert texts.index(sample.title) < texts.index(sample.note)
    assert "@page" in page
    assert '"Noto Sans CJK SC"' in page
    assert '"Noto Naskh Arabic"' in page


def test_html_escapes_content() -> None:
    extra = (
        Run(text=" <script>alert(1)</script> & \"'", language="ar"),
        Run(text='<img src=x onerror="alert(2)">', language="en"),
    )
    page = render_html(build(SAMPLES["ar"], extra))
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    parsed = outline(page)
    assert not [t for t, _ in parsed.elements if t in {"script", "img"}]


def test_html_fetches_nothing() -> None:
    page = render_html(build(SAMPLES["zh"]))
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import""", page)


# --- PDF ------------------------------------------------------------------------

FONT_FAMILIES = (
    "Noto Sans",
    "Noto Naskh Arabic",
    "Noto Sans Arabic",
    "Noto Sans CJK SC",
)
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _missing_for_pdf() -> list[str]:
    missing = []
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415, F401
    except Exception as exc:  # noqa: BLE001 - OSError when Pango is missing
        missing.append(f"WeasyPrint is not importable ({type(exc).__name__}: {exc})")
    missing.extend(
        f"{tool} is not installed (poppler-utils, fontconfig)"
        for tool in ("pdftotext", "fc-list")
        if shutil.which(tool) is None
    )
    if shutil.which("fc-list"):
        for family in FONT_FAMILIES:
            found = run_tool("fc-list", f":family={family}", "family").decode()
            if not found.strip():
                missing.append(f"the font {family!r} is not installed")
    return missing


@attrs.frozen
class Printed:
    """A sample document printed twice, and how long the first print took."""

    pdf: bytes
    again: bytes
    seconds: float


def run_tool(tool: str, *args: str, stdin: bytes = b"") -> bytes:
    """What a command-line tool writes (found on ``PATH``)."""
    path = shutil.which(tool)
    assert path is not None, f"{tool} is not installed (run .ci/fonts)"
    result = subprocess.run(  # noqa: S603 - a system tool on fixed arguments
        [path, *args], input=stdin, capture_output=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def printed() -> dict[str, Printed]:
    missing = _missing_for_pdf()
    if missing:
        pytest.fail(
            "PDF rendering cannot be tested: "
            + "; ".join(missing)
            + ". Run .ci/fonts to install what it needs.",
            pytrace=False,
        )
    from untoc_adapters.render.pdf import render_pdf  # noqa: PLC0415

    out = {}
    for language, sample in SAMPLES.items():
        doc = build(sample)
        start = time.perf_counter()
        pdf = render_pdf(doc)
        seconds = time.perf_counter() - start
        out[language] = Printed(pdf=pdf, again=render_pdf(doc), seconds=seconds)
    return out


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF in logical order, as pdftotext reads it."""
    return run_tool("pdftotext", "-enc", "UTF-8", "-", "-", stdin=pdf).decode()


def comparable(text: str) -> str:
    """Letters, marks and digits only: what every extractor agrees on.

    Bidi controls, spaces, line breaks and punctuation (which an extractor may
    put on either side of right-to-left text, and mirror) are dropped; Arabic
    presentation forms are folded to the letters they show.
    """
    text = unicodedata.normalize("NFKC", BIDI_CONTROLS.sub("", text))
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN")


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (subset prefix removed)."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts = resources.get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for described in (font, *font.get("/DescendantFonts", [])):
                descriptor = described.get_object().get("/FontDescriptor")
                if descriptor is not None and (
                    "/FontFile2" in descriptor.get_object()
                    or "/FontFile3" in descriptor.get_object()
                ):
                    names.add(str(font["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_text_is_in_reading_order(
    printed: dict[str, Printed], language: str
) -> None:
    sample = SAMPLES[language]
    text = comparable(pdf_text(printed[language].pdf))
    assert comparable(sample.marking) in text
    position = 0
    for expected in in_order(sample):
        wanted = comparable(expected)
        found = text.find(wanted, position)
        assert found >= 0, f"{expected!r} not found after {text[:position]!r}"
        position = found + len(wanted)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_embeds_noto_fonts_for_its_script(
    printed: dict[str, Printed], language: str
) -> None:
    fonts = embedded_fonts(printed[language].pdf)
    assert fonts
    assert all("Noto" in name for name in fonts), fonts
    if language == "zh":
        assert any("CJK" in name for name in fonts), fonts
    if language == "ar":
        assert any("Arabic" in name for name in fonts), fonts


def test_pdf_sets_arabic_right_to_left(printed: dict[str, Printed]) -> None:
    # Laid out as a page, a right-to-left title ends at the right margin: its
    # text is the rightmost on its line in pdftotext's physical layout.
    layout = run_tool(
        "pdftotext", "-layout", "-enc", "UTF-8", "-", "-", stdin=printed["ar"].pdf
    ).decode()
    lines = [BIDI_CONTROLS.sub("", line) for line in layout.splitlines()]
    title = next(line for line in lines if SAMPLES["ar"].title in line)
    note = next(
        line for line in lines if comparable(SAMPLES["ar"].note) in comparable(line)
    )
    # Flush right: the lines' text starts far from the left margin.
    assert len(title) - len(title.lstrip()) > 20
    assert len(note) - len(note.lstrip()) > 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_renders_the_same_twice(printed: dict[str, Printed], language: str) -> None:
    once = printed[language]
    assert pdf_text(once.pdf) == pdf_text(once.again)
    assert embedded_fonts(once.pdf) == embedded_fonts(once.again)


def test_pdf_render_time(printed: dict[str, Printed]) -> None:
    times = {language: round(p.seconds, 2) for language, p in printed.items()}
    print("PDF render seconds per document:", times)  # noqa: T201 - shown with -s
    assert max(times.values()) < 30, times


def test_pdf_refuses_to_fetch_resources() -> None:
    missing = _missing_for_pdf()
    if missing:
        pytest.fail("; ".join(missing) + ". Run .ci/fonts.", pytrace=False)
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.urls import (  # type: ignore[import-untyped]  # noqa: PLC0415
        FatalURLFetchingError,
    )

    from untoc_adapters.render.pdf import _fetcher  # noqa: PLC0415

    page = '<p><img src="http://127.0.0.1:9/x.png">x</p>'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=page, url_fetcher=_fetcher()).write_pdf()
    data = (
        '<p><img src="data:image/svg+xml,'
        "%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E\">x</p>"
    )
    assert HTML(string=data, url_fetcher=_fetcher()).write_pdf().startswith(b"%PDF")
