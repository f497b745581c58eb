"""Quizzes: a lesson check or a course's final test, drawn from the question bank."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.models.pages import KeptRootPathsMixin, PlainSlugMixin


class QuizKind(models.TextChoices):
    LESSON_CHECK = "lesson_check", _("Lesson check")
    FINAL_TEST = "final_test", _("Final test")


class ReviewPolicy(models.TextChoices):
    SCORE_ONLY = "score_only", _("Score only")
    WRONG_ANSWERS = "wrong_answers", _("Which answers were wrong")
    FULL = "full", _("Correct answers with feedback")


class QuizPage(KeptRootPathsMixin, PlainSlugMixin, Page):  # noqa: DJ008 - Page gives __str__
    kind = models.CharField(_("kind"), max_length=20, choices=QuizKind.choices, default=QuizKind.LESSON_CHECK)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    categories = ParentalManyToManyField(
        "courses.QuestionCategory",
        blank=True,
        verbose_name=_("draw from categories"),
        help_text=_("Questions are drawn at random from these categories and their sub-categories."),
    )
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=10)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), null=True, blank=True)
    min_wait_minutes = models.PositiveIntegerField(_("minimum wait between attempts (minutes)"), default=0)
    pass_mark_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    review_policy = models.CharField(
        _("after submitting, show"), max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.WRONG_ANSWERS
    )
    open_any_time = models.BooleanField(
        _("open any time"),
        default=False,
        help_text=_(
            "Normally a lesson check opens with the lesson before it, and a final test once every lesson is "
            "complete. Tick this for a quiz anyone may take at any time, such as a placement test."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("question_count")],
            heading=_("Random questions"),
        ),
        InlinePanel("fixed_questions", heading=_("…or a fixed list of questions"), label=_("Question")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("pass_mark_percent")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("min_wait_minutes")]),
                FieldRowPanel([FieldPanel("shuffle_choices"), FieldPanel("review_policy")]),
                FieldPanel("open_any_time"),
            ],
            heading=_("Rules"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(condition=models.Q(pass_mark_percent__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(condition=models.Q(question_count__gte=1), name="quiz_at_least_one_question"),
        ]

    def clean(self):
        super().clean()
        if self.time_limit_minutes == 0:
            raise ValidationError(
                {"time_limit_minutes": _("Leave empty for no time limit, or give at least 1 minute.")}
            )
        if self.max_attempts == 0:
            raise ValidationError({"max_attempts": _("Leave empty for unlimited attempts, or allow at least 1.")})


class QuizQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        "courses.Question", on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )

    panels = [FieldPanel("question")]
