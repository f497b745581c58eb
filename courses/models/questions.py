"""The question bank: nested categories and questions of seven types.

Question texts keep their source format (moodle / html / markdown / plain) so that GIFT export
then import gives the same question; they are turned into sanitised HTML only when shown.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

FRACTION_RANGE = models.Q(fraction__gte=-1, fraction__lte=1)


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice (partial credit)")
    TRUE_FALSE = "true_false", _("True / false")
    SHORT_ANSWER = "short_answer", _("Short answer")
    NUMERICAL = "numerical", _("Numerical")
    MATCHING = "matching", _("Matching")
    DESCRIPTION = "description", _("Description (no grade)")


class TextFormat(models.TextChoices):
    MOODLE = "moodle", _("Plain text with line breaks")
    HTML = "html", "HTML"
    MARKDOWN = "markdown", "Markdown"
    PLAIN = "plain", _("Plain text")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionCategory(models.Model):
    """A folder of the question bank; ``path`` is the full name, e.g. ``Dữ liệu/Cơ bản``."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(_("path"), max_length=1000, unique=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    class Meta:
        ordering = ["path"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self):
        return self.path

    def clean(self):
        if "/" in self.name:
            raise ValidationError({"name": _("A category name cannot contain “/”.")})
        path = f"{self.parent.path}/{self.name.strip()}" if self.parent_id else self.name.strip()
        if QuestionCategory.objects.filter(path=path).exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("A category with this name already exists here.")})
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            node = node.parent

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.path = f"{self.parent.path}/{self.name}" if self.parent_id else self.name
        super().save(*args, **kwargs)
        for child in self.children.all():  # keep descendants' paths in step after a rename or move
            child.save()

    def descendant_ids(self) -> list[int]:
        return list(
            QuestionCategory.objects.filter(
                models.Q(pk=self.pk) | models.Q(path__startswith=self.path + "/")
            ).values_list("pk", flat=True)
        )


class Question(ClusterableModel):
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions", verbose_name=_("category")
    )
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("name"), max_length=255)
    text = models.TextField(_("question text"))
    text_format = models.CharField(_("text format"), max_length=10, choices=TextFormat.choices, default="html")
    general_feedback = models.TextField(_("general feedback"), blank=True)
    general_feedback_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    competence = models.ForeignKey(
        "courses.Competence", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("competence")
    )
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default="medium")
    shuffle = models.BooleanField(_("shuffle choices"), default=True, help_text=_("Untick to keep the order given."))
    case_sensitive = models.BooleanField(_("case sensitive"), default=False)
    ignore_diacritics = models.BooleanField(
        _("ignore Vietnamese diacritics"), default=False, help_text=_("Short answer: “ha long” matches “Hạ Long”.")
    )
    correct_answer = models.BooleanField(_("correct answer (true / false)"), null=True, blank=True)
    feedback_true = models.TextField(_("feedback when answering “true”"), blank=True)
    feedback_false = models.TextField(_("feedback when answering “false”"), blank=True)
    feedback_true_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    feedback_false_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # Digest of the question's content, so importing the same file twice adds nothing.
    fingerprint = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("type"),
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("competence"), FieldPanel("difficulty")]),
            ],
            heading=_("Question"),
        ),
        FieldPanel("text"),
        FieldPanel("text_format"),
        FieldPanel("image"),
        InlinePanel("choices", heading=_("Choices / accepted answers"), label=_("Choice")),
        FieldRowPanel([FieldPanel("shuffle"), FieldPanel("case_sensitive"), FieldPanel("ignore_diacritics")]),
        MultiFieldPanel(
            [FieldPanel("correct_answer"), FieldPanel("feedback_true"), FieldPanel("feedback_false")],
            heading=_("True / false"),
        ),
        InlinePanel("numeric_answers", heading=_("Numerical answers"), label=_("Numerical answer")),
        InlinePanel("pairs", heading=_("Matching pairs"), label=_("Pair")),
        FieldPanel("general_feedback"),
        FieldPanel("idnumber"),
    ]

    class Meta:
        ordering = ["category__path", "name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "fingerprint"], name="question_unique_content_per_category"),
            models.CheckConstraint(
                condition=~models.Q(type="true_false") | models.Q(correct_answer__isnull=False),
                name="question_true_false_has_answer",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from courses.question_bank import question_problems

        problems = question_problems(self)
        if problems:
            raise ValidationError(problems)


class QuestionChoice(Orderable):
    """A choice (single / multiple choice) or an accepted answer (short answer)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(_("text"))
    text_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    fraction = models.DecimalField(
        _("credit"),
        max_digits=8,
        decimal_places=7,
        default=0,
        help_text=_("1 = full marks, 0.5 = half, −1 = minus full."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")

    panels = [FieldPanel("text"), FieldPanel("fraction"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]  # imported rows and old rows may tie on sort_order
        constraints = [models.CheckConstraint(condition=FRACTION_RANGE, name="choice_fraction_in_range")]


class QuestionNumericAnswer(Orderable):
    """value ± tolerance, or low..high; none of them means "any other answer"."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="numeric_answers")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=8, null=True, blank=True)
    tolerance = models.DecimalField(_("tolerance"), max_digits=20, decimal_places=8, default=0)
    low = models.DecimalField(_("from"), max_digits=20, decimal_places=8, null=True, blank=True)
    high = models.DecimalField(_("to"), max_digits=20, decimal_places=8, null=True, blank=True)
    fraction = models.DecimalField(_("credit"), max_digits=8, decimal_places=7, default=1)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")

    panels = [
        FieldRowPanel([FieldPanel("value"), FieldPanel("tolerance")]),
        FieldRowPanel([FieldPanel("low"), FieldPanel("high")]),
        FieldPanel("fraction"),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=FRACTION_RANGE, name="numeric_fraction_in_range"),
            models.CheckConstraint(condition=models.Q(tolerance__gte=0), name="numeric_tolerance_not_negative"),
        ]


class QuestionPair(Orderable):
    """A matching pair; an empty item is an extra (distractor) answer."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    item = models.TextField(_("item"), blank=True)
    item_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    answer = models.CharField(_("matching answer"), max_length=500)

    panels = [FieldPanel("item"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]


class QuestionImport(models.Model):
    """An uploaded GIFT / Moodle XML file: previewed first, imported when confirmed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Refused")

    category = models.ForeignKey(QuestionCategory, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")

    def __str__(self):
        return self.filename
