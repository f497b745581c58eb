def site_links(request):
    """Links every page needs: where the course catalogue lives (an editor may move it)."""
    from courses.models import CatalogPage

    def catalogue_url():
        page = CatalogPage.objects.live().order_by("path").first()
        return page.url if page else "/"

    return {"catalogue_url": catalogue_url}
