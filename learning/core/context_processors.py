def site_links(request):
    """Links every page needs: where the course catalogue lives (an editor may move it)."""
    from courses.models import CatalogPage

    def catalogue_url():
        page = CatalogPage.objects.live().order_by("path").first()
        return page.url if page else "/"

    def is_organiser():
        from learning.accounts.scopes import is_organiser as check

        return check(request.user)

    return {"catalogue_url": catalogue_url, "is_organiser": is_organiser}
