"""Admin building blocks that keep every label in the language of the request.

Wagtail builds some labels once, when the admin starts or first builds a form ("Home" in snippet breadcrumbs,
"Choose another question category" in choosers), so they stay in whatever language was active then. These
subclasses make them lazy: each request reads them in its own language (Vietnamese by default).
"""

import re

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.widgets.slug import SlugInput as WagtailSlugInput
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet as WagtailSnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


def _about(message: str, model):
    """``message % {"object": verbose name}``, translated when rendered (Wagtail's own msgids)."""
    return lazy(lambda: gettext(message) % {"object": model._meta.verbose_name}, str)()


class SnippetChooser(AdminSnippetChooser):
    def __init__(self, model=None, **kwargs):
        super().__init__(model, **kwargs)
        self.choose_one_text = _about("Choose %(object)s", self.model)
        self.choose_another_text = _about("Choose another %(object)s", self.model)
        self.link_to_chosen_text = _about("Edit this %(object)s", self.model)


class ChooserViewSet(SnippetChooserViewSet):
    base_widget_class = SnippetChooser


class SnippetViewSet(WagtailSnippetViewSet):
    """Wagtail's snippet viewset with labels read per request."""

    chooser_viewset_class = ChooserViewSet

    @property
    def breadcrumbs_items(self):
        home, *rest = super().breadcrumbs_items
        return [{**home, "label": gettext_lazy("Home")}, *rest]


class AdminLoginForm(LoginForm):
    """Wagtail's sign-in form, whose password field has no label of its own ("Password", never translated)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")


# Vietnamese letters → their base letter, applied by the admin's slug field before it makes the address, so
# "Mật khẩu đăng nhập" becomes "mat-khau-dang-nhap" as the editor types (Wagtail's own transliteration drops
# "ậ" and turns "đ" into "dj"). The server does the same with ``learning.core.text.plain_slug``.
VIETNAMESE_LETTERS = {
    "a": "àáạảãâầấậẩẫăằắặẳẵ",
    "e": "èéẹẻẽêềếệểễ",
    "i": "ìíịỉĩ",
    "o": "òóọỏõôồốộổỗơờớợởỡ",
    "u": "ùúụủũưừứựửữ",
    "y": "ỳýỵỷỹ",
    "d": "đ",
}
SLUG_FORMATTERS = [(re.compile(f"[{letters}]", re.IGNORECASE), base) for base, letters in VIETNAMESE_LETTERS.items()]


class SlugInput(WagtailSlugInput):
    """The admin's slug field, transliterating Vietnamese letters as the editor types."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs, formatters=SLUG_FORMATTERS if formatters is None else formatters, locale=locale)
