from courses.models import CatalogPage
from learning.accounts.scopes import is_organiser as organiser_check


def site_links(request):
    """Links every page needs: where the course catalogue lives (an editor may move it)."""

    def catalogue_url():
        page = CatalogPage.objects.live().order_by("path").first()
        return page.url if page else "/"

    def is_organiser():
        return organiser_check(request.user)

    return {"catalogue_url": catalogue_url, "is_organiser": is_organiser}
