from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from fingerpost.api import api
from fingerpost.api_docs import api_reference

# The admin signs in through allauth, so MFA and lockout apply there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Fingerpost administration"

urlpatterns = [
    path("", include("fingerpost.core.urls")),
    path("organisations/", include("fingerpost.organisations.urls")),
    path("events/", include("fingerpost.events.urls")),
    path("get-help/", include("fingerpost.helpdesk.public_urls")),
    path("help-requests/", include("fingerpost.helpdesk.urls")),
    path("find-help/", include("fingerpost.directory.urls")),
    path("champions/", include("fingerpost.champions.urls")),
    path("skills-check/", include("fingerpost.skills.urls")),
    path("figures/", include("fingerpost.skills.figures_urls")),
    path("lending/", include("fingerpost.lending.urls")),
    path("borrow-a-device/", include("fingerpost.lending.public_urls")),
    path("network/", include("fingerpost.network.urls")),
    path("insights/", include("fingerpost.insights.urls")),
    path("openreferral/", include("fingerpost.directory.openreferral_urls")),
    path("accounts/", include("fingerpost.accounts.urls")),
    path("quiz/", include("fingerpost.quiz.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_reference, name="api_reference"),
    path("api/v1/", api.urls),
]

handler400 = "fingerpost.core.views.bad_request"
handler403 = "fingerpost.core.views.permission_denied"
handler404 = "fingerpost.core.views.page_not_found"
handler500 = "fingerpost.core.views.server_error"
