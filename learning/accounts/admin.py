from django.contrib import admin

from .consent_models import Consent


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only for administrators: proof of who agreed to which policy version, when and where. Consents are
    recorded by sign-up and activation, never written by hand."""

    list_display = ["given_at", "user", "purpose", "policy_version", "source"]
    list_filter = ["purpose", "policy_version", "source"]
    search_fields = ["user__phone"]
    date_hierarchy = "given_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
