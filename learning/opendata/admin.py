"""Open-data API keys in the Django admin: an administrator issues a key to a named consumer (shown once,
right after saving), sees when it was last used, and revokes it."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from . import services
from .models import OpenDataKey

# The library's own key model is not used: the site's keys are OpenDataKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(OpenDataKey)
class OpenDataKeyAdmin(APIKeyModelAdmin):
    list_display = ["name", "organisation", "prefix", "throttle_rate", "created", "last_used_at", "revoked"]
    list_filter = ["revoked", "created"]
    search_fields = ["name", "organisation", "contact", "prefix"]
    fields = ["name", "organisation", "contact", "throttle_rate", "expiry_date", "revoked", "prefix", "last_used_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:  # a new key: revoked, prefix and last use come later
            return ["name", "organisation", "contact", "throttle_rate", "expiry_date"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.revoked:
            return tuple(self.fields)
        return ("prefix", "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        secret = services.key_issue(key=obj)
        messages.warning(
            request,
            gettext(
                "The API key for %(name)s is: %(key)s — copy it now and hand it over safely: "
                "it is shown only this once and cannot be read again."
            )
            % {"name": obj.name, "key": secret},
        )

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.keys_revoke(queryset)
        messages.success(request, gettext("Keys revoked: %(count)d.") % {"count": count})
