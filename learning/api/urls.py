from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import campaigns, certificates, me, phone_codes, quizzes, reminders, stats, views

app_name = "api"
urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("auth/password-reset/", phone_codes.PasswordResetView.as_view(), name="password_reset"),
    path("auth/password-reset/confirm/", phone_codes.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("auth/verify-phone/", phone_codes.PhoneVerifyView.as_view(), name="verify_phone"),
    path("auth/verify-phone/resend/", phone_codes.PhoneVerifyResendView.as_view(), name="verify_phone_resend"),
    path("localities/provinces/", views.ProvinceListView.as_view(), name="provinces"),
    path("localities/communes/", views.CommuneListView.as_view(), name="communes"),
    path("courses/", views.CourseListView.as_view(), name="courses"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course"),
    path("courses/<int:pk>/enrol/", views.CourseEnrolView.as_view(), name="course_enrol"),
    path("lessons/<int:pk>/complete/", views.LessonCompleteView.as_view(), name="lesson_complete"),
    path("me/progress/", views.MyProgressView.as_view(), name="my_progress"),
    path("me/delete/", me.AccountDeleteView.as_view(), name="account_delete"),
    path("quizzes/<int:pk>/attempts/", quizzes.QuizAttemptStartView.as_view(), name="quiz_attempts"),
    path("attempts/<int:pk>/", quizzes.AttemptDetailView.as_view(), name="attempt"),
    path("attempts/<int:pk>/answers/<str:question_id>/", quizzes.AttemptAnswerView.as_view(), name="attempt_answer"),
    path("attempts/<int:pk>/submit/", quizzes.AttemptSubmitView.as_view(), name="attempt_submit"),
    path("me/attempts/", quizzes.MyAttemptsView.as_view(), name="my_attempts"),
    path("me/assignments/", campaigns.MyAssignmentsView.as_view(), name="my_assignments"),
    path("me/certificates/", certificates.MyCertificatesView.as_view(), name="my_certificates"),
    path("certificates/verify/<str:code>/", certificates.CertificateVerifyView.as_view(), name="certificate_verify"),
    path("organiser/assignments/", campaigns.OrganiserAssignmentsView.as_view(), name="organiser_assignments"),
    path(
        "organiser/reminders/overdue/", reminders.OrganiserRemindOverdueView.as_view(), name="organiser_remind_overdue"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the site's static files; the split view serves its start-up script as a file of its own
    # (no inline script), its page keeps one small inline <style>.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]

from . import rosters  # noqa: E402

urlpatterns += [
    path("organiser/rosters/", rosters.RosterUploadView.as_view(), name="rosters"),
    path("organiser/rosters/<int:pk>/", rosters.RosterDetailView.as_view(), name="roster"),
    path("organiser/rosters/<int:pk>/confirm/", rosters.RosterConfirmView.as_view(), name="roster_confirm"),
    path("organiser/rosters/<int:pk>/rows/", rosters.RosterRowsView.as_view(), name="roster_rows"),
    path("stats/provinces/<str:code>/", stats.ProvinceStatsView.as_view(), name="stats_province"),
    path("stats/provinces/<str:code>/communes/", stats.ProvinceCommunesView.as_view(), name="stats_province_communes"),
    path(
        "stats/provinces/<str:code>/timeseries/",
        stats.ProvinceTimeseriesView.as_view(),
        name="stats_province_timeseries",
    ),
    path("stats/communes/<str:code>/", stats.CommuneStatsView.as_view(), name="stats_commune"),
    path("stats/communes/<str:code>/people/", stats.CommunePeopleView.as_view(), name="stats_commune_people"),
    path("reports/", stats.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/download/", stats.ReportDownloadView.as_view(), name="report_download"),
]

from . import opendata  # noqa: E402

urlpatterns += [
    path("open/daily-counts/", opendata.DailyCountsView.as_view(), name="open_daily_counts"),
    path(
        "open/daily-counts/datapackage.json",
        opendata.DataPackageView.as_view(),
        name="open_daily_counts_datapackage",
    ),
]
