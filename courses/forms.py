"""Editor forms of the question bank: the import upload, and the admin forms of categories and questions."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import Question, QuestionCategory
from courses.question_bank import fingerprint, format_for_filename, question_to_parsed
from courses.quizformats import ParseResult, QuizFormatError, read_limited

FORMAT_CHOICES = [
    ("", _("Automatic (from the file name)")),
    ("gift", _("GIFT (.gift, .txt)")),
    ("moodle_xml", _("Moodle XML (.xml)")),
]
CATEGORY_NAME_MAX = QuestionCategory._meta.get_field("name").max_length
CATEGORY_PATH_MAX = QuestionCategory._meta.get_field("path").max_length


def import_max_bytes() -> int:
    """The largest accepted question file (``QUESTION_IMPORT_MAX_BYTES``)."""
    return settings.QUESTION_IMPORT_MAX_BYTES


def import_max_questions() -> int:
    return settings.QUESTION_IMPORT_MAX_QUESTIONS


def translated(template: str, params: dict | None = None) -> str:
    """A parser message in the user's language when the catalogue has it, else the English text."""
    params = params or {}
    try:
        return gettext(template).format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with broken placeholders
        return template.format(**params)


def format_error_message(error: QuizFormatError, filename: str = "") -> str:
    """What is wrong with a refused file and where, for people (translated)."""
    reason = translated(error.template, error.params)
    if error.line is None:
        if filename:
            return gettext("The file “%(file)s” was refused: %(reason)s.") % {"file": filename, "reason": reason}
        return gettext("The file was refused: %(reason)s.") % {"reason": reason}
    if filename:
        return gettext("The file “%(file)s” was refused at line %(line)d: %(reason)s.") % {
            "file": filename,
            "line": error.line,
            "reason": reason,
        }
    return gettext("The file was refused at line %(line)d: %(reason)s.") % {"line": error.line, "reason": reason}


def too_large_message(limit: int) -> str:
    return gettext("The file is too large: the limit is %(size)s (%(bytes)d bytes).") % {
        "size": filesizeformat(limit),
        "bytes": limit,
    }


def clean_category_path(value: str) -> str:
    """``" A / B "`` → ``"A/B"``; raises ValidationError when empty, too long or a level is too long."""
    parts = [part.strip() for part in (value or "").split("/") if part.strip()]
    if not parts:
        raise forms.ValidationError(_("Give the target category, e.g. “Kỹ năng số/Lừa đảo trực tuyến”."))
    for part in parts:
        if len(part) > CATEGORY_NAME_MAX:
            raise forms.ValidationError(
                _("The category name “%(name)s…” is longer than %(limit)d characters."),
                params={"name": part[:40], "limit": CATEGORY_NAME_MAX},
            )
    path = "/".join(parts)
    if len(path) > CATEGORY_PATH_MAX:
        raise forms.ValidationError(
            _("The category path is longer than %(limit)d characters."), params={"limit": CATEGORY_PATH_MAX}
        )
    return path


class QuestionImportForm(forms.Form):
    """Upload a GIFT / Moodle XML file; a valid form holds the file's bytes and its parse result."""

    file = forms.FileField(
        label=_("Question file"),
        help_text=_("GIFT (.gift or .txt, UTF-8) or Moodle XML (.xml)."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)
    category = forms.CharField(
        label=_("Target category"),
        max_length=CATEGORY_PATH_MAX,
        help_text=_(
            "Levels separated by “/”, e.g. “Kỹ năng số/Lừa đảo trực tuyến”. Missing categories are created; "
            "categories named in the file ($CATEGORY) go below this one."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content: bytes | None = None
        self.result: ParseResult | None = None
        self.fmt: str | None = None
        self.file_error: QuizFormatError | None = None

    def clean_category(self):
        return clean_category_path(self.cleaned_data.get("category", ""))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(too_large_message(limit))
        upload.seek(0)
        try:
            self.content = read_limited(upload, max_bytes=limit)
        except QuizFormatError:
            raise forms.ValidationError(too_large_message(limit)) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or self.content is None:
            return cleaned
        self.fmt = cleaned.get("format") or format_for_filename(upload.name)
        if self.fmt is None:
            self.add_error(
                "format",
                _("Cannot tell the format from the file name “%(name)s”: choose GIFT or Moodle XML.")
                % {"name": upload.name},
            )
            return cleaned
        try:
            self.result = parse_upload(self.content, self.fmt)
        except QuizFormatError as error:
            self.file_error = error
            self.add_error("file", format_error_message(error, upload.name))
        return cleaned


def parse_upload(content: bytes, fmt: str) -> ParseResult:
    """Parse an uploaded file with the platform's limits; raises QuizFormatError when refused."""
    from courses.question_bank import FORMATS

    if fmt not in FORMATS:
        raise QuizFormatError(None, "unknown format {fmt!r}: use gift or moodle_xml", fmt=fmt)
    return FORMATS[fmt](content, max_bytes=import_max_bytes(), max_questions=import_max_questions())


# --- admin model forms -------------------------------------------------------------------------


class QuestionCategoryForm(WagtailAdminModelForm):
    """Refuses a name or parent that would give the same path as another category (instead of a crash)."""

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        parent = cleaned.get("parent")
        if not name or "/" in name:
            return cleaned  # the model's clean() explains
        path = f"{parent.path}/{name}" if parent else name
        if len(path) > CATEGORY_PATH_MAX:
            self.add_error(
                "name", _("The category path is longer than %(limit)d characters.") % {"limit": CATEGORY_PATH_MAX}
            )
        elif QuestionCategory.objects.filter(path=path).exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("There is already a category “%(path)s”.") % {"path": path})
        return cleaned


class _Children(list):
    def all(self):
        return self


class _DraftQuestion:
    """The question as edited (fields and inline rows not saved yet), readable by ``question_to_parsed``."""

    def __init__(self, question: Question, children: dict[str, list]):
        self._question = question
        self._children = children

    def __getattr__(self, name):
        if name in self._children:
            return _Children(self._children[name])
        return getattr(self._question, name)


class QuestionForm(WagtailAdminModelForm):
    """Keeps ``Question.fingerprint`` in step with the content edited in the admin.

    Without it every question made in the admin would have an empty fingerprint, and the second one
    in a category would break the unique (category, fingerprint) constraint.
    """

    def _children(self) -> dict[str, list]:
        children = {}
        for rel_name, formset in self.formsets.items():
            forms_in_order = formset.ordered_forms if formset.can_order else formset.forms
            children[rel_name] = [
                form.instance
                for form in forms_in_order
                if not (formset.can_delete and formset._should_delete_form(form))
                and (form.instance.pk is not None or form.has_changed())
            ]
        return children

    def is_valid(self):
        valid = super().is_valid()
        if not valid or not self.instance.category_id:
            return valid
        if getattr(self, "_fingerprint_checked", False):
            return not self.non_field_errors()
        self._fingerprint_checked = True
        # Saving keeps this value: the fingerprint is not a form field, so the form never overwrites it.
        self.instance.fingerprint = fingerprint(question_to_parsed(_DraftQuestion(self.instance, self._children())))
        twin = (
            Question.objects.filter(category_id=self.instance.category_id, fingerprint=self.instance.fingerprint)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if twin is not None:
            self.add_error(
                None,
                _("The question “%(name)s” in this category already has exactly this content.") % {"name": twin.name},
            )
            return False
        return True
