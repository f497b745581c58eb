"""The report files: a ReportData rendered as an Excel workbook and as a PDF, read back with openpyxl and pypdf."""

import io
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from learning.stats.formats import EXCEL_PERCENT_FORMAT
from learning.stats.report_files import (
    Column,
    ReportData,
    Sheet,
    format_int,
    format_percent,
    pdf_bytes,
    sheet_names,
    workbook_bytes,
)

PREFIXES = ("Phường", "Xã", "Đặc khu")
PLACES = (
    "Hạ Long",
    "Cô Tô",
    "Quảng Đức",
    "Bãi Cháy",
    "Hồng Gai",
    "Tuần Châu",
    "Việt Hưng",
    "Hoành Bồ",
    "Đông Ngũ",
    "Quảng Hà",
    "Đầm Hà",
    "Tiên Yên",
    "Bình Liêu",
    "Vân Đồn",
    "Cẩm Phả",
    "Mông Dương",
    "Uông Bí",
    "Yên Tử",
)
LONG_TITLE = "Tỷ lệ hoàn thành khóa học bắt buộc theo từng xã, phường"
GENERATED = datetime(2026, 11, 25, 16, 10, tzinfo=UTC)  # 23:10 in Asia/Ho_Chi_Minh


def commune_names():
    names = ["Phường Hạ Long", "Đặc khu Cô Tô", "Xã Quảng Đức"]
    for i in range(len(names), 54):
        names.append(f"{PREFIXES[i % 3]} {PLACES[i % len(PLACES)]} {i // len(PLACES) + 1}")
    names[10] = "Xã Hải Lạng Tiên Yên Đông Ngũ Bình Liêu Quảng Hà Đầm Hà Vân Đồn (tên rất dài)"
    return names


COLUMNS = [
    Column("commune", "Xã/phường/đặc khu", "text"),
    Column("registered", "Số người đăng ký", "int"),
    Column("participants", "Số người tham gia học", "int"),
    Column("active", "Người học tích cực", "int"),
    Column("enrolments", "Lượt ghi danh", "int"),
    Column("lessons", "Bài học đã hoàn thành", "int"),
    Column("courses", "Khóa học đã hoàn thành", "int"),
    Column("completers", "Người hoàn thành ít nhất một khóa", "int"),
    Column("basic", "Hoàn thành khóa cơ bản", "int"),
    Column("quiz", "Bài kiểm tra đạt", "int"),
    Column("assigned", "Được giao bắt buộc", "int"),
    Column("done", "Hoàn thành bắt buộc", "int"),
    Column("late", "Hoàn thành muộn", "int"),
    Column("overdue", "Quá hạn", "int"),
    Column("rate", "Tỷ lệ hoàn thành bắt buộc", "percent"),
]


def commune_rows():
    rows = []
    for i, name in enumerate(commune_names()):
        row = {"commune": name}
        for j, column in enumerate(COLUMNS[1:-1]):
            row[column.key] = (i + 1) * 1000 + j * 37
        row["registered"] = 1_234_567 if i == 0 else row["registered"]
        row["rate"] = None if i % 9 == 4 else (i % 10) / 10 + 0.053
        rows.append(row)
    rows[0]["rate"] = 0.453
    rows[2]["quiz"] = None
    return rows


def totals(rows):
    result = {c.key: sum(r[c.key] or 0 for r in rows) for c in COLUMNS[1:-1]}
    result["rate"] = 0.5
    return result


def sample_report(sheet_count=10):
    rows = commune_rows()
    sheets = [
        Sheet("Tổng hợp", "Tổng hợp theo xã, phường, đặc khu", COLUMNS, rows, totals(rows)),
        Sheet(LONG_TITLE, "Khóa học bắt buộc (đợt 1)", COLUMNS, rows, totals(rows)),
        Sheet(LONG_TITLE, "Khóa học bắt buộc (đợt 2)", COLUMNS, rows, totals(rows)),
        Sheet("Cán bộ/công chức: [khối xã]?", "Cán bộ, công chức cấp xã", COLUMNS, rows, None),
    ]
    while len(sheets) < sheet_count:
        n = len(sheets)
        sheets.append(Sheet(f"Khóa học {n}", f"Khóa học số {n}", COLUMNS, rows, totals(rows)))
    return ReportData(
        title="Báo cáo chiến dịch Bình dân học vụ số — tỉnh Quảng Ninh",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        generated_at=GENERATED,
        sheets=sheets,
        notes=[
            "Người tham gia học: người đã mở ít nhất một bài học trong kỳ.",
            "Tỷ lệ hoàn thành bắt buộc = hoàn thành bắt buộc / được giao bắt buộc.",
        ],
    )


@pytest.fixture(scope="module")
def report():
    return sample_report()


@pytest.fixture(scope="module")
def workbook(report):
    with translation.override("en"):
        return load_workbook(io.BytesIO(workbook_bytes(report)))


@pytest.fixture(scope="module")
def pdf(report):
    with translation.override("en"):
        return PdfReader(io.BytesIO(pdf_bytes(report)))


def test_numbers_are_formatted_the_vietnamese_way():
    assert format_int(1234567) == "1.234.567"
    assert format_int(0) == "0"
    assert format_percent(0.453) == "45,3 %"
    assert format_percent(1) == "100,0 %"


def test_sheet_names_are_valid_unique_and_at_most_31_characters():
    names = sheet_names(
        [LONG_TITLE, LONG_TITLE, LONG_TITLE, "a/b\\c[d]:e*f?g", "'Quoted'", "", "History", "tổng hợp", "Tổng Hợp"]
    )
    assert names[0] == "Tỷ lệ hoàn thành khóa học bắt…"  # shortened after a whole word, and says so
    assert names[1] == "Tỷ lệ hoàn thành khóa học… (2)" and names[2] == "Tỷ lệ hoàn thành khóa học… (3)"
    assert names[3] == "a-b-c(d) e f g"
    assert names[4] == "Quoted"
    assert names[5] == "Sheet"
    assert names[6] == "History (2)"
    assert names[7] == "tổng hợp" and names[8] == "Tổng Hợp (2)"  # Excel compares names ignoring case
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set("[]:*?/\\") & set(name)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kỹ năng số thiết yếu trong đời sống", "Kỹ năng số thiết yếu trong đời…"),
        ("Người lao động trong doanh nghiệp", "Người lao động trong doanh…"),
        ("Cán bộ, công chức, viên chức cấp xã", "Cán bộ, công chức, viên chức…"),  # no comma before "…"
        ("Trí tuệ nhân tạo cho mọi người", "Trí tuệ nhân tạo cho mọi người"),  # 30 characters: kept whole
        ("Chuyểnđổisốtoàndiệnchomọingườidân", "Chuyểnđổisốtoàndiệnchomọingười…"),  # one long word: cut
    ],
)
def test_a_long_sheet_name_is_shortened_at_a_word_boundary(title, expected):
    (name,) = sheet_names([title])
    assert name == expected and len(name) <= 31
    words = title.split()
    kept = name.removesuffix("…").split()
    if len(words) > 1:
        assert kept == words[: len(kept)]  # whole words only


def test_workbook_has_one_valid_sheet_per_sheet(workbook, report):
    names = workbook.sheetnames
    assert len(names) == len(report.sheets)
    assert names[0] == "Tổng hợp"
    assert names[1] == "Tỷ lệ hoàn thành khóa học bắt…"
    assert names[2] == "Tỷ lệ hoàn thành khóa học… (2)"
    assert names[3] == "Cán bộ-công chức (khối xã)"
    assert all(len(n) <= 31 for n in names)
    assert workbook.properties.title == report.title
    assert workbook.properties.creator == "Bình dân học vụ số"


def test_workbook_sheet_layout(workbook, report):
    ws = workbook["Tổng hợp"]
    assert ws["A1"].value == report.title and ws["A1"].font.b
    assert ws["A2"].value == "Reporting period: 01/11/2026 – 30/11/2026"
    assert ws["A3"].value == "Generated at: 25/11/2026 23:10"
    assert ws["A5"].value == "Tổng hợp theo xã, phường, đặc khu"
    assert [c.value for c in ws[6]] == [c.label for c in COLUMNS]
    assert all(c.font.b and c.alignment.wrap_text for c in ws[6])
    assert ws.freeze_panes == "A7"
    assert ws.auto_filter.ref == "A6:O60"
    assert ws.column_dimensions["A"].width > 20
    assert ws.column_dimensions["B"].width >= 10

    first = [c.value for c in ws[7]]
    assert first[0] == "Phường Hạ Long"
    assert first[1] == 1_234_567 and type(first[1]) is int
    assert ws["B7"].number_format == "#,##0"
    assert isinstance(ws["O7"].value, float) and ws["O7"].value == pytest.approx(0.453)
    assert ws["O7"].number_format == EXCEL_PERCENT_FORMAT == "0.0\\ %"  # shown as 45,3 %
    assert ws["A8"].value == "Đặc khu Cô Tô" and ws["A9"].value == "Xã Quảng Đức"
    assert ws["J9"].value is None  # no data: an empty cell
    assert ws["O11"].value is None  # row 5 (index 4) has no rate
    assert all(
        type(ws.cell(row=r, column=c).value) is int for r in range(7, 61) for c in range(2, 14) if (r, c) != (9, 10)
    )


def test_workbook_totals_row_and_notes(workbook, report):
    ws = workbook["Tổng hợp"]
    rows = report.sheets[0].rows
    assert ws["A61"].value == "Total"
    assert all(c.font.b for c in ws[61])
    assert ws["B61"].value == sum(r["registered"] for r in rows) and type(ws["B61"].value) is int
    assert ws["O61"].value == 0.5 and ws["O61"].number_format == EXCEL_PERCENT_FORMAT
    assert ws["A63"].value == "Notes" and ws["A63"].font.b
    assert [ws["A64"].value, ws["A65"].value] == report.notes
    # only the first sheet carries the notes; a sheet without totals ends with its last commune
    other = workbook[workbook.sheetnames[3]]
    assert other.max_row == 60
    assert workbook[workbook.sheetnames[1]]["A63"].value is None


def test_workbook_keeps_text_as_text_and_accepts_an_empty_report():
    report = sample_report(sheet_count=1)
    report.sheets[0].rows = [{"commune": '=HYPERLINK("http://example.com")', "registered": 3, "rate": None}]
    report.sheets.append(Sheet("Trống", "Không có số liệu", COLUMNS, [], None))
    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(workbook_bytes(report)))
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(report))).pages]
    cell = workbook["Tổng hợp"]["A7"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")  # neutralised, as in every export
    empty = workbook["Trống"]
    assert empty.auto_filter.ref == "A6:O6"
    assert empty["A5"].value == "Không có số liệu" and empty.max_row == 6  # the header row, nothing under it
    assert '\n=HYPERLINK("http://example.com") 3 – ' in pages[0]
    assert pages[-1].startswith("Không có số liệu\n") and "\nNo data\n" in pages[-1]


def test_vietnamese_names_are_stored_in_nfc():
    report = sample_report(sheet_count=1)
    decomposed = unicodedata.normalize("NFD", "Phường Hạ Long")
    assert decomposed != "Phường Hạ Long"
    report.sheets[0].rows[0]["commune"] = decomposed
    ws = load_workbook(io.BytesIO(workbook_bytes(report))).active
    assert ws["A7"].value == "Phường Hạ Long"
    text = PdfReader(io.BytesIO(pdf_bytes(report))).pages[0].extract_text()
    assert "Phường Hạ Long 1.234.567" in text  # the first row, given decomposed


def test_generation_time_is_shown_in_vietnam_time_and_must_be_aware():
    report = sample_report(sheet_count=1)
    report.generated_at = datetime(2026, 11, 30, 20, 30, tzinfo=timezone(timedelta(hours=-5)))
    ws = load_workbook(io.BytesIO(workbook_bytes(report))).active
    assert ws["A3"].value == "Generated at: 01/12/2026 08:30"
    report.generated_at = datetime(2026, 11, 25, 23, 10)
    with pytest.raises(ValueError, match="aware"):
        workbook_bytes(report)
    with pytest.raises(ValueError, match="aware"):
        pdf_bytes(report)


def test_vietnamese_language_renders_with_vietnamese_labels():
    report = sample_report(sheet_count=2)
    with translation.override("vi"):
        ws = load_workbook(io.BytesIO(workbook_bytes(report))).active
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(report))).pages)
    assert ws["A2"].value == "Kỳ báo cáo: 01/11/2026 – 30/11/2026"
    assert ws["A3"].value == "Thời điểm lập: 25/11/2026 23:10"
    assert [c.value for c in ws[6]][:2] == ["Xã/phường/đặc khu", "Số người đăng ký"]
    assert ws["A61"].value == "Tổng cộng" and ws["A63"].value == "Ghi chú"
    assert "Kỳ báo cáo: 01/11/2026 – 30/11/2026" in text and "Thời điểm lập: 25/11/2026 23:10" in text
    assert "\nTổng cộng " in text and "\nGhi chú\n" in text and "Trang 1/" in text
    assert "Reporting period" not in text and "Total" not in text and "Page 1" not in text


def test_pdf_embeds_noto_sans(report):
    with translation.override("en"):
        data = pdf_bytes(report)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("+NotoSans") for name in fonts)
    assert any(name.endswith("+NotoSansBold") for name in fonts)
    assert all(
        "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    )
    assert reader.metadata.title == report.title
    assert reader.metadata.author == "Bình dân học vụ số"


def test_pdf_text_is_vietnamese_in_nfc_with_page_footers(pdf, report):
    pages = [page.extract_text() for page in pdf.pages]
    total = len(pages)
    assert total >= len(report.sheets)
    first = pages[0]
    assert report.title in first
    assert "Reporting period: 01/11/2026 – 30/11/2026" in first
    assert "Generated at: 25/11/2026 23:10" in first
    assert "Phường Hạ Long" in first and "Đặc khu Cô Tô" in first and "Xã Quảng Đức" in first
    assert "\nPhường Hạ Long 1.234.567 1.037" in first and "\nĐặc khu Cô Tô 2.000 2.037" in first
    assert "1.444 45,3 %\n" in first  # the first row's rate
    assert "\nXã Quảng Đức 3.000 " in first and " 3.259 – 3.333 " in first  # no quiz count: a dash
    assert "\nXã Hồng Gai 1 5.000 " in first and " 5.444 –\n" in first  # no rate: a dash
    for number, text in enumerate(pages, start=1):
        assert unicodedata.is_normalized("NFC", text)
        assert f"Page {number} of {total}" in text
    everything = "\n".join(pages)
    assert everything.count("Phường Hạ Long 1.234.567") == len(report.sheets)  # first row of each table
    assert "Total" in everything
    assert "Notes" in everything and report.notes[0] in everything.replace("\n", " ")
    assert "Khóa học bắt buộc (đợt 2)" in everything
    # the header row is repeated on every page of a table: only a page of notes has none
    without_header = [text for text in pages if "Xã/phường/đặc khu" not in text]
    assert all(text.lstrip().startswith("Notes") for text in without_header)


def test_full_report_renders_quickly(report):
    """Ten sheets × 54 communes × 15 columns, complete, each file in well under a second of CPU time (measured as
    CPU time, so that other work on the machine does not count; the bound leaves room for a slow machine)."""
    with translation.override("en"):
        start = time.process_time()
        xlsx = workbook_bytes(report)
        middle = time.process_time()
        pdf = pdf_bytes(report)
        end = time.process_time()
    print(
        f"\n{len(report.sheets)} sheets × {len(report.sheets[0].rows)} rows × {len(COLUMNS)} columns: "
        f"xlsx {middle - start:.3f} s ({len(xlsx) // 1024} KiB), pdf {end - middle:.3f} s ({len(pdf) // 1024} KiB)"
    )
    assert middle - start < 3.0
    assert end - middle < 3.0

    last = report.sheets[0].rows[-1]["commune"]
    workbook = load_workbook(io.BytesIO(xlsx))
    assert len(workbook.worksheets) == len(report.sheets) == 10
    for ws, sheet in zip(workbook.worksheets, report.sheets, strict=True):
        assert ws["A5"].value == sheet.heading
        assert [c.value for c in ws[6]] == [c.label for c in COLUMNS]
        assert ws.cell(row=6 + len(sheet.rows), column=1).value == last
        assert ws.cell(row=6 + len(sheet.rows), column=15).value == pytest.approx(sheet.rows[-1]["rate"])
        assert ws.cell(row=7 + len(sheet.rows), column=1).value == ("Total" if sheet.totals else None)

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    everything = "\n".join(pages)
    assert all(sheet.heading in everything for sheet in report.sheets)
    assert everything.count(f"\n{last} 54.000 ") == len(report.sheets)  # every table down to its last row
    assert everything.count("\nTotal ") == sum(1 for sheet in report.sheets if sheet.totals)
    assert pages[-1].rstrip().endswith(f"Page {len(pages)} of {len(pages)}")


# The summary sheet's columns as the report prints them in Vietnamese: 21 columns, long headers.
SUMMARY_LABELS = [
    ("Mã", "text"),
    ("Xã", "text"),
    ("Đã đăng ký", "int"),
    ("Người tham gia", "int"),
    ("Chỉ tiêu tham gia", "int"),
    ("Tỷ lệ tham gia", "percent"),
    ("Người tham gia mới trong kỳ", "int"),
    ("Đã hoàn thành khóa học", "int"),
    ("Tỷ lệ hoàn thành", "percent"),
    ("Đã hoàn thành chương trình cơ bản", "int"),
    ("Bài học hoàn thành trong kỳ", "int"),
    ("Bài kiểm tra đạt trong kỳ", "int"),
    ("Bắt buộc: được giao", "int"),
    ("Bắt buộc: hoàn thành đúng hạn", "int"),
    ("Bắt buộc: hoàn thành muộn", "int"),
    ("Bắt buộc: quá hạn", "int"),
    ("Tỷ lệ hoàn thành bắt buộc", "percent"),
    ("Chương trình cơ bản: Cán bộ, công chức, viên chức", "percent"),
    ("Chương trình cơ bản: Học sinh, sinh viên", "percent"),
    ("Chương trình cơ bản: Người trưởng thành", "percent"),
    ("Chương trình cơ bản: Người lao động trong doanh nghiệp", "percent"),
]


def test_pdf_headers_wrap_between_words_and_the_table_fits_the_page():
    from learning.stats.report_files.pdf import _pdf_widths

    columns = [Column(f"c{i}", label, kind) for i, (label, kind) in enumerate(SUMMARY_LABELS)]
    rows = []
    for i, name in enumerate(commune_names()[:30]):
        row = {"c0": f"{6650 + i:05d}", "c1": name}
        for column in columns[2:]:
            row[column.key] = 0.123 if column.kind == "percent" else 4000 + i
        rows.append(row)
    data = ReportData(
        title="Báo cáo",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 7),
        generated_at=GENERATED,
        sheets=[Sheet("Tổng hợp", "Tất cả khóa học, mọi đối tượng, theo xã", columns, rows, None)],
    )
    with translation.override("en"):
        reader = PdfReader(io.BytesIO(pdf_bytes(data)))
    lines = []
    reader.pages[0].extract_text(visitor_text=lambda text, *_args: lines.append(text.strip()))
    heading = lines.index("Tất cả khóa học, mọi đối tượng, theo xã")
    header_lines = [line for line in lines[heading + 1 : lines.index(rows[0]["c0"])] if line]
    # every header, line after line, column after column: whole words, none cut with "…" ("trong…"), none
    # broken inside ("Đã đăn g ký")
    assert " ".join(header_lines).split() == " ".join(c.label for c in columns).split()
    assert max(len(line.split()) for line in header_lines) >= 2  # wrapped at spaces, not a word a line

    # the widths (mm) fill at most the page's 277 mm between the margins, at the largest legible size
    class Meter:
        def __init__(self):
            from fpdf import FPDF

            from learning.stats.report_files.pdf import FONT_DIR, FONT_FAMILY, _Meter

            pdf = FPDF(orientation="L", unit="mm", format="A4")
            pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
            pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
            self.meter = _Meter(pdf)

    cells = [[str(r.get(c.key, "")) for c in columns] for r in rows]
    widths = _pdf_widths(Meter().meter, columns, cells, 7, 277)
    assert widths is not None and sum(widths) <= 277
