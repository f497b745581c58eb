from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as course_views
from learning.site import personal_data_views, pwa
from learning.site import views as site_views

urlpatterns = [
    path("healthz", site_views.healthz, name="healthz"),
    # The installable, offline site: served from the root so the service worker looks after every page.
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline_page, name="offline"),
    path("learning/courses/<int:course_id>/offline/", pwa.course_offline, name="course_offline"),
    path("api/v1/", include("learning.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Only the project's own catalogue (locale/*/djangojs.po): a few hundred bytes for a phone.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["learning.core"]), name="javascript-catalog"),
    path("accounts/my-data/", personal_data_views.my_data, name="my_data"),
    path("accounts/my-data/download/", personal_data_views.my_data_download, name="my_data_download"),
    path("accounts/my-data/delete/", personal_data_views.account_delete, name="account_delete"),
    path("privacy/", personal_data_views.privacy_policy, name="privacy_policy"),
    path("accounts/", include("learning.accounts.urls")),
    path("learning/certificates/", include("learning.certificates.urls")),
    path("learning/", include("learning.progress.urls")),
    path("organiser/reminders/", include("learning.campaigns.reminder_urls")),
    path("organiser/stats/", include("learning.stats.urls")),
    path("organiser/certificates/", include("learning.certificates.organiser_urls")),
    path("organiser/", include("learning.campaigns.urls")),
    path("search/", course_views.search, name="search"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("notifications/", include("learning.notifications.urls")),
    path("chung-nhan/", include("learning.certificates.verify_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages: Wagtail's view with the routes kept per process (courses.page_cache); Wagtail's own URLs
# (its serve view answers the same addresses, for reverse()) after it.
urlpatterns.append(re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", course_views.serve, name="page"))
urlpatterns.append(path("", include(wagtail_urls)))

handler500 = "learning.site.views.server_error"  # the site's page with its navigation (403/404: 403.html, 404.html)
