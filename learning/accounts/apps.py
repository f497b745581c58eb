from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "learning.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import activation  # noqa: F401  (registers the text of activation SMS, made at send time)
        from . import verification  # noqa: F401  (the texts of verification and password-reset SMS)


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our phone-number user model."""

    user_viewset = "learning.accounts.viewsets.UserViewSet"
