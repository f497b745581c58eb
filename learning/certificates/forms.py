from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from .models import RevokeReason
from .services import NOTE_MAX_LENGTH

STATUS_CHOICES = [("", _("Valid and revoked")), ("valid", _("Valid")), ("revoked", _("Revoked"))]


class OrganiserFilterForm(forms.Form):
    """The organiser's list filters; ``communes`` are the communes in their scope."""

    commune = forms.ChoiceField(label=_("Commune"), required=False)
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), required=False, empty_label=_("All courses")
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {commune.code: commune for commune in communes}
        self.fields["commune"].choices = [("", _("All my communes"))] + [
            (commune.code, commune.name) for commune in communes
        ]
        self.fields["course"].queryset = CoursePage.objects.order_by("path")
        self.fields["course"].error_messages["invalid_choice"] = _("Choose a course from the list.")

    def clean_commune(self):
        code = self.cleaned_data["commune"]
        return self.communes.get(code) if code else None


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the certificate revoked?"),
        choices=RevokeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the certificate is revoked.")},
    )
    note = forms.CharField(
        label=_("Explanation"),
        help_text=_("Kept with the certificate for the record, not shown to the public. Needed for “Other reason”."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
