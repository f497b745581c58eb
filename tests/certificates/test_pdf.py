"""The certificate PDF: A4 landscape, Vietnamese, its fonts embedded, a QR code of the verification address,
served to its holder only."""

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import segno
from pypdf import PdfReader

from courses.competences import COMPONENTS
from learning.certificates.models import Certificate
from learning.certificates.pdf import certificate_pdf, verify_url
from learning.certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (841.89, 595.28)  # points


def read(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    return reader, page, " ".join(page.extract_text().split())


@pytest.fixture
def qr_urls(monkeypatch):
    """Every text the PDF asks segno to encode."""
    urls = []
    real = segno.make_qr

    def spy(content, *args, **kwargs):
        urls.append(content)
        return real(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make_qr", spy)
    return urls


def test_the_pdf_prints_the_certificate_in_vietnamese_on_a_landscape_a4(certificate, qr_urls, settings):
    settings.SITE_URL = "https://hoc.quangninh.gov.vn/"
    data, filename = certificate_pdf(certificate)
    reader, page, text = read(data)
    assert len(reader.pages) == 1
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.5)
    for printed in (
        "CHỨNG NHẬN",
        certificate.holder_name,
        "đã hoàn thành khóa học",
        certificate.course_title,
        "4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư",
        f"ngày {certificate.completed_on.day} tháng {certificate.completed_on.month} năm",
        "BAN CHỈ ĐẠO BÌNH DÂN HỌC VỤ SỐ",
        f"https://hoc.quangninh.gov.vn/chung-nhan/{certificate.code}/",
    ):
        assert printed in text, printed
    assert qr_urls == [f"https://hoc.quangninh.gov.vn/chung-nhan/{certificate.code}/"]
    assert len(page.images) == 1  # the QR code
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert {name.split("+")[-1] for name in fonts} == {"NotoSans", "NotoSansBold"}  # subsets of the two
    for font in page["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # embedded, not looked up on the reader's machine
    assert reader.metadata.title.endswith(certificate.course_title)
    assert filename == "chung-nhan-khoa-hoc-thu-1.pdf"


def test_the_address_falls_back_to_the_admin_base_url(certificate, settings):
    settings.SITE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://cho.example/"
    assert verify_url(certificate) == f"http://cho.example/chung-nhan/{certificate.code}/"


def unsaved(**changes) -> Certificate:
    fields = {
        "code": "ABCDE23456",
        "holder_name": "Nguyễn Thị Học",
        "course_title": "Kỹ năng số cơ bản",
        "competences": [],
        "completed_on": date(2026, 12, 7),
        "issuer": "Ban Chỉ đạo Bình dân học vụ số tỉnh Quảng Ninh",
        "signer": "",
        "score_percent": None,
    }
    return Certificate(**{**fields, **changes})


def test_the_date_and_score_are_written_as_vietnamese_write_them():
    _reader, _page, text = read(certificate_pdf(unsaved(score_percent=Decimal("87.50")))[0])
    assert "Hoàn thành ngày 7 tháng 12 năm 2026" in text
    assert "87,5%" in text


def test_long_names_titles_and_every_competence_stay_on_the_page():
    name = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Trâm Anh"  # 53 characters
    title = (
        "Ứng dụng trí tuệ nhân tạo an toàn, có trách nhiệm trong công việc hằng ngày của cán bộ, công chức, "
        "viên chức cấp xã và người lao động trong doanh nghiệp nhỏ và vừa"
    )
    certificate = unsaved(
        holder_name=name,
        course_title=title,
        competences=[list(pair) for pair in COMPONENTS],
        signer="KT. Trưởng ban|Phó Trưởng ban Thường trực|Nguyễn Văn Hùng",
        score_percent=Decimal("100"),
    )
    reader, _page, text = read(certificate_pdf(certificate)[0])
    assert len(reader.pages) == 1
    assert name in text  # one line, whole
    assert " ".join(title.split()) in text  # wrapped, every word there
    assert "KT. Trưởng ban" in text and "Nguyễn Văn Hùng" in text
    assert "1.1 Duyệt, tìm kiếm" in text and "khác" in text  # the first ones, then how many more


def test_every_drawn_thing_stays_inside_the_frame(monkeypatch):
    """No text or image reaches past the inner frame, whatever the lengths (fpdf2 ``cell`` calls checked)."""
    from fpdf import FPDF

    from learning.certificates import pdf as module

    boxes = []
    real_cell = FPDF.cell

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        width = self.get_string_width(text)
        left = self.x + ((w or width) - width) / 2 if kwargs.get("align") == "C" else self.x
        boxes.append((text, left, self.y, left + width, self.y + (h or 0)))
        return real_cell(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "cell", cell)
    certificate_pdf(
        unsaved(
            holder_name="Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Trâm Anh Vũ Đình",
            course_title="Khóa học có tên rất dài " * 9,
            competences=[list(pair) for pair in COMPONENTS],
            issuer="Ban Chỉ đạo Bình dân học vụ số của một đơn vị có tên rất dài ở một tỉnh rất xa",
            signer="KT. Trưởng ban|Phó Trưởng ban Thường trực|Nguyễn Văn Hùng",
            score_percent=Decimal("66.67"),
        )
    )
    low, high = module.INNER, (module.PAGE_W - module.INNER, module.PAGE_H - module.INNER)
    outside = [b for b in boxes if b[1] < low or b[2] < low or b[3] > high[0] or b[4] > high[1]]
    assert boxes and not outside
    body = [b for b in boxes if b[2] < module.BOTTOM_TOP - 1]
    assert max(b[4] for b in body) <= module.BOTTOM_TOP  # the body ends above the QR code and signature


def test_only_the_holder_downloads_it_as_an_attachment(certificate, client, make_user):
    url = f"/learning/certificates/{certificate.code}/pdf/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 404 and b"%PDF" not in response.content
    client.force_login(certificate.holder)
    response = client.get(url.lower())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="chung-nhan-khoa-hoc-thu-1.pdf"'
    assert response.content.startswith(b"%PDF")
    assert client.get("/learning/certificates/not-a-code/pdf/").status_code == 404


def test_a_revoked_certificate_is_no_longer_downloaded(certificate, client, make_user):
    from learning.accounts.services import role_grant

    organiser = make_user()
    role_grant(user=organiser, role="commune_organiser", scope_codes=[certificate.holder.commune_id])
    certificate_revoke(certificate=certificate, by=organiser, reason="issued_in_error")
    client.force_login(certificate.holder)
    response = client.get(f"/learning/certificates/{certificate.code}/pdf/")
    assert response.status_code == 410 and b"%PDF" not in response.content
    assert "revoked" in response.content.decode()


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs pdftoppm, zbarimg")
def test_the_printed_qr_code_reads_back_as_the_address(tmp_path, settings):
    """Rendered at a low 60 dpi, as a phone photo of a print might be, and decoded."""
    settings.SITE_URL = "https://hoc.quangninh.gov.vn"
    (tmp_path / "c.pdf").write_bytes(certificate_pdf(unsaved())[0])
    subprocess.run(["pdftoppm", "-png", "-r", "60", tmp_path / "c.pdf", tmp_path / "c"], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", tmp_path / "c-1.png"], capture_output=True, text=True)
    assert decoded.stdout.strip() == "https://hoc.quangninh.gov.vn/chung-nhan/ABCDE23456/"
