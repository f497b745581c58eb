from django.contrib import admin

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only for administrators: the log is written by the site, never edited (old entries are deleted
    after ``ACCESS_LOG_RETENTION_DAYS`` by the retention task)."""

    list_display = ["at", "who", "what", "scope", "path"]
    list_filter = ["what", "at"]
    search_fields = ["who", "scope", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
