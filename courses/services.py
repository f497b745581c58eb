"""Writes to content: the site tree and the demo courses."""

import io
import random

from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Site, Task, Workflow

from .models import CatalogPage, CoursePage, HomePage, LessonPage

CATALOGUE_SLUG = "khoa-hoc"


@transaction.atomic
def site_ensure() -> tuple[HomePage, CatalogPage]:
    """The home page (site root) and the course catalogue under it; safe to run again.

    Their texts are content (Vietnamese, editable in the admin), not interface strings.
    """
    # The tree's root shows in every admin breadcrumb; Wagtail creates it as "Root".
    Page.objects.filter(depth=1, title="Root").update(title="Gốc", draft_title="Gốc")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Bình dân học vụ số",
            slug="trang-chu",
            intro=(
                "<p>Các khóa học ngắn, miễn phí về dữ liệu, kỹ năng số và trí tuệ nhân tạo "
                "dành cho mọi người dân, cán bộ, công chức và người lao động tỉnh Quảng Ninh.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Bình dân học vụ số"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    # Wagtail's placeholder "Welcome" page is replaced by ours.
    Page.objects.filter(depth=2, content_type__model="page", slug="home").exclude(pk=home.pk).delete()
    catalogue = CatalogPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CatalogPage(
            title="Khóa học",
            slug=CATALOGUE_SLUG,
            intro="<p>Chọn một khóa học và học theo nhịp độ của bạn, trên điện thoại hay máy tính.</p>",
        )
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    return home, catalogue


# What the "editor" role may do in the admin: write courses and lessons (page permissions on the catalogue),
# and keep the question bank (write, import, export), with the pictures and documents lessons use.
EDITORS_GROUP = "Editors"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")
EDITOR_MODEL_PERMISSIONS = (
    ("wagtailadmin", "admin", ("access_admin",)),
    ("courses", "question", ("add", "change", "delete", "view")),
    ("courses", "questioncategory", ("add", "change", "delete", "view")),
    ("courses", "questionimport", ("add", "change", "view")),
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)
# Wagtail's own workflow names are data, created in English; editors read them in the admin.
WORKFLOW_NAMES = {"Moderators approval": "Kiểm duyệt nội dung"}


@transaction.atomic
def editors_group_ensure(catalogue: CatalogPage | None = None):
    """The "Editors" group with exactly what the editor role needs (safe to run again); returns it."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = []
    for app_label, model, actions in EDITOR_MODEL_PERMISSIONS:
        codenames = [a if model == "admin" else f"{a}_{model}" for a in actions]
        wanted += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*wanted)
    catalogue = catalogue or CatalogPage.objects.first()
    if catalogue is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=catalogue, permission=permission)
    for english, vietnamese in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=english).update(name=vietnamese)
        Task.objects.filter(name=english).update(name=vietnamese)
    return group


COVER_COLOURS = {"data": ("#1d4ed8", "#93c5fd"), "digital_skills": ("#b91c1c", "#fde047"), "ai": ("#6d28d9", "#c4b5fd")}


def _cover_image(slug: str, topic: str, title: str):
    """A simple generated banner (Pillow), so demo courses have a cover image."""
    from PIL import Image, ImageDraw

    Image_ = get_image_model()
    existing = Image_.objects.filter(title=title).first()
    if existing:
        return existing
    dark, light = COVER_COLOURS.get(topic, ("#334155", "#cbd5e1"))
    rng = random.Random(slug)  # noqa: S311 - decoration only
    img = Image.new("RGB", (960, 400), dark)
    draw = ImageDraw.Draw(img)
    for _i in range(14):
        x, y, r = rng.randint(0, 960), rng.randint(0, 400), rng.randint(20, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=light, width=6)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return Image_.objects.create(title=title, file=ImageFile(buf, name=f"{slug}.png"))


@transaction.atomic
def demo_course_ensure(*, catalogue: CatalogPage, data: dict) -> tuple[CoursePage, bool]:
    """Create a demo course and its lessons from ``data`` if missing (editors' changes are kept)."""
    from .models import Competence

    target_groups = CoursePage._meta.get_field("audience_groups").related_model  # learners' groups: no import

    course = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
    created = course is None
    if created:
        course = CoursePage(
            title=data["title"],
            slug=data["slug"],
            intro=data["intro"],
            topic=data["topic"],
            audience=data.get("audience", ""),
            estimated_minutes=data["estimated_minutes"],
            sequential=data.get("sequential", True),
            cover_image=_cover_image(data["slug"], data["topic"], data["title"]),
        )
        course.audience_groups = list(target_groups.objects.filter(code__in=data.get("audience_groups", [])))
        course.competences = list(Competence.objects.filter(code__in=data.get("competences", [])))
        catalogue.add_child(instance=course)
        course.save_revision().publish()
    existing = set(LessonPage.objects.child_of(course).values_list("slug", flat=True))
    for lesson_data in data["lessons"]:
        if lesson_data["slug"] in existing:
            continue
        lesson = LessonPage(
            title=lesson_data["title"],
            slug=lesson_data["slug"],
            estimated_minutes=lesson_data["estimated_minutes"],
            body=[(kind, value) for kind, value in lesson_data["body"]],
        )
        lesson.competences = list(Competence.objects.filter(code__in=lesson_data.get("competences", [])))
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course, created


@transaction.atomic
def demo_quizzes_ensure(*, course: CoursePage, gift: bytes) -> int:
    """Import a demo course's question bank and give every lesson a check and the course a final test.

    The bank goes under a category named after the course, one sub-category per lesson (from the file's
    ``$CATEGORY`` lines) and "Kiểm tra cuối khóa". Safe to run again; returns how many quizzes were created.
    """
    from courses.question_bank import questions_import
    from courses.quizformats import parse_gift

    from .models import QuestionCategory, QuizPage

    questions_import(parse_gift(gift), category_path=course.title)
    created = 0
    for lesson in course.lessons():
        slug = f"{lesson.slug}-kiem-tra"
        category = QuestionCategory.objects.filter(path=f"{course.title}/{lesson.title}").first()
        if category is None or QuizPage.objects.child_of(course).filter(slug=slug).exists():
            continue
        quiz = QuizPage(
            title=f"Kiểm tra nhanh: {lesson.title}",
            slug=slug,
            kind="lesson_check",
            intro="<p>Năm câu hỏi ngắn để bạn tự kiểm tra bài vừa học. Không giới hạn thời gian và số lần làm.</p>",
            question_count=5,
            pass_mark_percent=60,
            review_policy="full",
        )
        lesson.add_sibling(pos="right", instance=quiz)
        quiz.categories.set([category])
        quiz.save_revision().publish()
        created += 1
    final_category = QuestionCategory.objects.filter(path=f"{course.title}/Kiểm tra cuối khóa").first()
    if final_category and not QuizPage.objects.child_of(course).filter(kind="final_test").exists():
        quiz = QuizPage(
            title=f"Bài kiểm tra cuối khóa: {course.title}",
            slug="kiem-tra-cuoi-khoa",
            kind="final_test",
            intro=(
                "<p>Mười câu hỏi về cả khóa học, làm trong 15 phút. Đạt từ 70% trở lên để hoàn thành khóa học. "
                "Bạn có 3 lần làm bài, mỗi lần cách nhau ít nhất 10 phút.</p>"
            ),
            question_count=10,
            time_limit_minutes=15,
            max_attempts=3,
            min_wait_minutes=10,
            pass_mark_percent=70,
            review_policy="wrong_answers",
        )
        course.add_child(instance=quiz)
        quiz.categories.set([final_category])
        quiz.save_revision().publish()
        created += 1
    return created
