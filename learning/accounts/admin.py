from django.contrib import admin

from .consent_models import Consent
from .oidc_models import ExternalIdentity


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


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Read-only: which accounts are linked to an identity provider (VNeID), since when, and whether the
    provider proved the phone. Links are made by signing in with the provider (``learning.accounts.oidc``)."""

    list_display = ["linked_at", "user", "issuer", "phone_proven", "last_signin_at"]
    list_filter = ["issuer", "phone_proven"]
    search_fields = ["user__phone", "subject"]
    date_hierarchy = "linked_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
