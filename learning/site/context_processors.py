from django.utils.safestring import mark_safe

from courses import page_cache
from learning.accounts.scopes import is_organiser as organiser_check

from .headers import TEXT_SIZE_SCRIPT
from .pwa import viewer_mark


def site_links(request):
    """Links every page needs: where the course catalogue lives (an editor may move it)."""

    def catalogue_url():
        return page_cache.catalogue_url()

    def is_organiser():
        return organiser_check(request.user)

    def viewer():
        return viewer_mark(request.user) if hasattr(request, "user") else "-"

    return {
        "catalogue_url": catalogue_url,
        "is_organiser": is_organiser,
        "viewer_mark": viewer,
        "text_size_script": mark_safe(TEXT_SIZE_SCRIPT),  # noqa: S308 - a constant of this module, no input
    }
