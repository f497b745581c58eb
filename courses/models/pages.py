"""Authored content: the catalogue, courses and their lessons, as Wagtail pages.

Content knows nothing of learners: learner records (``learning.progress``) point at these pages by id, so
editing a lesson never rewrites anyone's progress, and what a learner's state changes about serving a page
(locked lessons, progress shown on it) is plugged in by ``learning.progress`` (Wagtail hooks, template tags).
"""

from django import forms
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from learning.core.text import fold


class Topic(models.TextChoices):
    DATA = "data", _("Data")
    DIGITAL_SKILLS = "digital_skills", _("Digital skills")
    AI = "ai", _("Artificial intelligence")


class Competence(models.Model):
    """A component of the digital competence framework (Circular 02/2025/TT-BGDĐT), e.g. ``4.2``."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def domain(self) -> str:
        return self.code.split(".")[0]


class FoldedSearchMixin(models.Model):
    """Keeps a lower-case, diacritic-free copy of the page's text for search on any database."""

    search_folded = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def searchable_text(self) -> list[str]:
        return [self.title]

    def save(self, *args, **kwargs):
        self.search_folded = fold(" ".join(t for t in self.searchable_text() if t))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_folded"}
        return super().save(*args, **kwargs)


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CatalogPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_list

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list()[:6]
        return context


class CatalogPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["courses.HomePage", "wagtailcore.Page"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_list

        context = super().get_context(request, *args, **kwargs)
        topic = request.GET.get("topic")
        context["topics"] = Topic.choices
        context["topic"] = topic if topic in Topic.values else ""
        context["courses"] = course_list(topic=context["topic"] or None, parent=self)
        return context


class CoursePage(FoldedSearchMixin, Page):  # noqa: DJ008 - Page gives __str__
    intro = RichTextField(_("introduction"), features=["bold", "italic", "ol", "ul", "link"])
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("Who the course is for, in a few words.")
    )
    audience_groups = ParentalManyToManyField("accounts.TargetGroup", blank=True, verbose_name=_("target groups"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    competences = ParentalManyToManyField(Competence, blank=True, verbose_name=_("competences"))
    sequential = models.BooleanField(
        _("lessons open in order"),
        default=True,
        help_text=_("A lesson stays locked until the previous one is complete."),
    )
    basic_programme = models.BooleanField(
        _("part of the basic programme"),
        default=False,
        help_text=_(
            "Completing a course of the basic programme counts towards the national indicators "
            "(share of officials, students, adults and enterprise workers who completed it)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("audience"),
                FieldPanel("audience_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("estimated_minutes"),
                FieldPanel("sequential"),
                FieldPanel("basic_programme"),
            ],
            heading=_("About the course"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("competences"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_minutes__lte=100000), name="course_minutes_reasonable")
        ]

    def searchable_text(self):
        return [self.title, strip_tags(self.intro or ""), self.audience]

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def quizzes(self):
        from .quizzes import QuizPage

        return QuizPage.objects.child_of(self).live().order_by("path")


class LessonPage(FoldedSearchMixin, Page):  # noqa: DJ008 - Page gives __str__
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    competences = ParentalManyToManyField(Competence, blank=True, verbose_name=_("competences"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("competences"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def searchable_text(self):
        body_field = self._meta.get_field("body")
        return [self.title, self.summary, *body_field.get_searchable_content(self.body)]

    @property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)
