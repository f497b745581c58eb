"""Wagtail's user admin adapted to phone-number accounts (no first/last name fields)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import users as wagtail_views

from .phone import normalise_phone
from .services import user_admin_saved

FIELDS = ["phone", "full_name", "email", "commune", "is_superuser", "groups"]


class _PhoneFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields.pop(name, None)
        self.fields["email"].required = False

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def save(self, commit=True):
        created = self.instance._state.adding
        previous_commune_id = self.initial.get("commune")
        user = super().save(commit=commit)
        if commit:
            user_admin_saved(user=user, created=created, previous_commune_id=previous_commune_id)
        return user


class UserCreationForm(_PhoneFormMixin, wagtail_forms.UserCreationForm):
    first_name = None
    last_name = None

    class Meta(wagtail_forms.UserCreationForm.Meta):
        fields = FIELDS
        widgets = {"groups": forms.CheckboxSelectMultiple}


class UserEditForm(_PhoneFormMixin, wagtail_forms.UserEditForm):
    first_name = None
    last_name = None

    class Meta(wagtail_forms.UserEditForm.Meta):
        fields = [*FIELDS, "is_active"]
        widgets = {"groups": forms.CheckboxSelectMultiple}


class IndexView(wagtail_views.IndexView):
    @cached_property
    def search_fields(self):
        return {"phone", "full_name", "email"}


class UserViewSet(wagtail_views.UserViewSet):
    index_view_class = IndexView
    menu_label = _("Users")

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
