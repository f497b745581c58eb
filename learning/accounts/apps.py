from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "learning.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The texts of SMS with a one-time code are made at send time: activation, verification, reset.
        from . import activation, verification  # noqa: F401


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our phone-number user model."""

    user_viewset = "learning.accounts.viewsets.UserViewSet"
