from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from learning.localities.models import Commune, Province
from learning.localities.selectors import communes_of, default_province_code, province_list

from . import signin
from .consent_models import CONSENT_REQUIRED
from .models import TargetGroup
from .phone import normalise_phone


class PhoneField(forms.CharField):
    """A Vietnamese mobile number, cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"})

    def clean(self, value):
        return normalise_phone(super().clean(value))


class LocalityFormMixin(forms.Form):
    """Province then commune; the commune list holds only the chosen province's communes."""

    province = forms.ModelChoiceField(queryset=province_list(), label=_("Province / city"), empty_label=None)
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.none(),
        label=_("Commune / ward"),
        empty_label=_("— Choose your commune or ward —"),
        error_messages={"invalid_choice": _("Choose a commune or ward of the chosen province.")},
    )
    target_groups = forms.ModelMultipleChoiceField(
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("You are (choose all that apply)"),
        error_messages={"required": _("Choose at least one target group.")},
    )

    def __init__(self, *args, province_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.data.get("province") if self.is_bound else None
        code = code or province_code or self.initial.get("province") or default_province_code()
        if isinstance(code, Province):
            code = code.pk
        self.fields["province"].initial = code
        self.fields["commune"].queryset = communes_of(code)
        self.fields["commune"].widget.attrs["data-commune-select"] = "1"
        self.fields["province"].widget.attrs["data-province-select"] = "1"


class SignupForm(LocalityFormMixin):
    phone = PhoneField()
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    consent = forms.BooleanField(
        label=_(
            "I agree to the privacy policy: the site keeps my account and learning records to run my courses, "
            "certificates and mandatory modules, and counts them in my commune's statistics."
        ),
        error_messages={"required": CONSENT_REQUIRED},
    )

    field_order = ["phone", "full_name", "province", "commune", "target_groups", "password1", "password2", "consent"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords do not match."))
        return data


class ProfileForm(LocalityFormMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    field_order = ["full_name", "province", "commune", "target_groups"]


class LoginForm(auth_forms.AuthenticationForm):
    """Sign-in under the one lockout policy (``signin``): a locked account or address is refused before
    the password is even checked, and each wrong password counts."""

    username = PhoneField()
    error_messages = {
        "invalid_login": _("The phone number or password is not correct."),
        "inactive": _("This account has been deactivated."),
    }

    def clean(self):
        phone = self.cleaned_data.get("username") or self.data.get("username", "")
        try:
            signin.signin_check(self.request, phone)
        except signin.SignInLocked as exc:
            raise forms.ValidationError(exc.message, code="locked") from None
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if exc.code == "invalid_login":
                signin.signin_failed(self.request, phone)
            raise
        signin.signin_succeeded(self.request, phone)
        return cleaned
