"""The LRSs in the Django admin (/django-admin/xapi/): their settings, a clear word when one is misconfigured,
and the backlog of each (waiting, sent, parked, the oldest waiting, the last error); parked statements can be
read and sent again."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Lrs
from .selectors import backlog


class LrsForm(forms.ModelForm):
    endpoint = forms.URLField(
        label=_("endpoint"),
        assume_scheme="https",
        max_length=300,
        help_text=_("The LRS's xAPI address, e.g. https://lrs.example.org/xAPI/ (statements go to …/statements)."),
    )
    secret = forms.CharField(
        label=_("secret"),
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Leave empty to read it from the variable below."),
    )

    class Meta:
        model = Lrs
        fields = ["name", "endpoint", "key", "secret", "secret_env", "enabled"]


@admin.register(Lrs)
class LrsAdmin(admin.ModelAdmin):
    form = LrsForm
    list_display = [
        "name",
        "endpoint",
        "enabled",
        "configuration",
        "pending",
        "sent",
        "parked",
        "oldest_pending",
        "last_sent_at",
        "last_error_shown",
    ]
    readonly_fields = ["configuration", "failures", "retry_at", "last_error", "last_error_at", "last_sent_at"]

    def changelist_view(self, request, extra_context=None):
        self._backlog = backlog()
        for lrs in Lrs.objects.filter(enabled=True):
            problem = lrs.problem()
            if problem:
                self.message_user(
                    request,
                    gettext("The LRS “%(name)s” is misconfigured: %(problem)s Statements wait until it is fixed.")
                    % {"name": lrs.name, "problem": problem},
                    messages.ERROR,
                )
        return super().changelist_view(request, extra_context)

    def _row(self, obj):
        return getattr(self, "_backlog", {}).get(obj.pk) or backlog([obj.pk]).get(obj.pk)

    @admin.display(description=_("configuration"))
    def configuration(self, obj):
        return obj.problem() or gettext("No problem")

    @admin.display(description=_("waiting"))
    def pending(self, obj):
        return self._row(obj).pending

    @admin.display(description=_("sent"))
    def sent(self, obj):
        return self._row(obj).sent

    @admin.display(description=_("parked"))
    def parked(self, obj):
        return self._row(obj).parked

    @admin.display(description=_("oldest waiting"))
    def oldest_pending(self, obj):
        seconds = self._row(obj).oldest_pending_seconds
        if seconds is None:
            return "—"
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return gettext("%(h)d h %(m)02d min %(s)02d s") % {"h": hours, "m": minutes, "s": seconds}

    @admin.display(description=_("last error"))
    def last_error_shown(self, obj):
        if not obj.last_error:
            return "—"
        return f"{obj.last_error[:200]} ({obj.last_error_at:%d/%m/%Y %H:%M})" if obj.last_error_at else obj.last_error


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: what was sent where, and why a statement was parked; parked ones can be sent again."""

    list_display = ["statement", "lrs", "status", "attempts", "created_at", "sent_at", "error"]
    list_filter = ["status", "lrs"]
    search_fields = ["statement__id"]
    list_select_related = ["lrs", "statement"]
    readonly_fields = ["lrs", "statement", "status", "attempts", "created_at", "sent_at", "error", "payload"]
    exclude = ["leased_until", "lease"]
    actions = ["send_again"]
    show_full_result_count = False

    @admin.display(description=_("statement"))
    def payload(self, obj):
        import json

        return json.dumps(obj.statement.payload, ensure_ascii=False, indent=2)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected parked statements again"))
    def send_again(self, request, queryset):
        count = queryset.filter(Q(status=Delivery.Status.PARKED)).update(status=Delivery.Status.PENDING, error="")
        self.message_user(
            request,
            ngettext("%(n)d statement will be sent again.", "%(n)d statements will be sent again.", count)
            % {"n": count},
        )
