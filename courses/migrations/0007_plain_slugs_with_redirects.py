"""Pages whose address carried Vietnamese letters get one without diacritics; the old address redirects.

``/khoa-hoc/…/m%E1%BA%ADt-kh%E1%BA%A9u/`` becomes ``/khoa-hoc/…/mat-khau/``: the page, and every page below
it, answers at the new address, and a permanent redirect keeps links already shared over Zalo or SMS working.
Uses the historical models only (no page methods), so it runs the same on any later version of the code.
"""

from django.db import migrations
from wagtail.contrib.redirects.models import Redirect as RedirectRules

from learning.core.text import plain_slug


def _free_slug(Page, page, base):
    parent_path = page.path[:-4]  # treebeard steps of four characters
    taken = set(
        Page.objects.filter(path__startswith=parent_path, depth=page.depth)
        .exclude(pk=page.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _public_path(url_path, sites):
    for root_url_path, site_id in sites:
        if url_path.startswith(root_url_path):
            return site_id, "/" + url_path[len(root_url_path) :]
    return None, None


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    sites = [(url_path, pk) for pk, url_path in Site.objects.values_list("pk", "root_page__url_path") if url_path]
    sites.sort(key=lambda s: -len(s[0]))  # the deepest root first
    ids = [pk for pk, slug in Page.objects.values_list("pk", "slug") if not slug.isascii()]
    for page in Page.objects.filter(pk__in=ids).order_by("depth", "path"):
        page.refresh_from_db()  # an ancestor handled before may have moved its url_path
        base = plain_slug(page.slug) or f"trang-{page.pk}"
        new_slug = _free_slug(Page, page, base)
        old_url = page.url_path
        new_url = old_url[: -(len(page.slug) + 1)] + new_slug + "/"
        moved = [page, *Page.objects.filter(path__startswith=page.path, depth__gt=page.depth)]
        for each in moved:
            old_each = each.url_path
            each.url_path = new_url + old_each[len(old_url) :]
            if each.pk == page.pk:
                each.slug = new_slug
            each.save(update_fields=["slug", "url_path"])
            site_id, old_public = _public_path(old_each, sites)
            if old_public is None:
                continue
            old_path = RedirectRules.normalise_path(old_public)
            if not Redirect.objects.filter(old_path=old_path, site_id=site_id).exists():
                Redirect.objects.create(old_path=old_path, site_id=site_id, is_permanent=True, redirect_page_id=each.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_quiz_may_open_any_time"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
