import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage

from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def png():
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "#b91c1c").save(buf, format="PNG")
    return ImageFile(buf, name="anh.png")


def test_every_lesson_block_renders(client, course):
    image = WagtailImage.objects.create(title="Ảnh minh họa", file=png())
    video = Document.objects.create(title="Video", file=ContentFile(b"\x00" * 64, name="bai-giang.mp4"))
    vtt = Document.objects.create(
        title="Phụ đề", file=ContentFile("WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào".encode(), name="phu-de.vtt")
    )
    handout = Document.objects.create(title="Tài liệu", file=ContentFile(b"%PDF-1.4", name="tai-lieu.pdf"))
    lesson = LessonPage(
        title="Bài đủ loại khối",
        slug="du-loai-khoi",
        body=[
            ("rich_text", "<h2>Mở đầu</h2><p>Chào bạn.</p>"),
            ("image", {"image": image, "alt_text": "Biểu đồ cột", "caption": "Hình 1"}),
            (
                "video",
                {
                    "video": video,
                    "captions": vtt,
                    "captions_language": "vi",
                    "title": "Video bài giảng",
                    "poster": None,
                    "transcript": "<p>Lời thoại</p>",
                },
            ),
            ("callout", {"kind": "warning", "title": "Cảnh giác", "text": "<p>Không chia sẻ mã OTP.</p>"}),
            ("download", {"document": handout, "label": "Tải tài liệu"}),
        ],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    course.sequential = False
    course.save()
    html = client.get(lesson.url).content.decode()
    assert "<h2>Mở đầu</h2>" in html
    assert 'alt="Biểu đồ cột"' in html and "Hình 1" in html
    assert '<track kind="captions"' in html and 'srclang="vi"' in html and "Video bài giảng" in html
    assert 'class="callout warning"' in html and "Không chia sẻ mã OTP." in html
    assert "Tải tài liệu" in html and "download" in html
    assert "khong chia se ma otp" in LessonPage.objects.get(pk=lesson.pk).search_folded


def test_editors_can_open_course_and_lesson_editors(client, course, lessons, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Biên tập")
    client.force_login(admin)
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{lessons[0].pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{course.pk}/").status_code == 200
