from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.record_request, name="record"),
    path("refer/", views.refer, name="refer"),
    path("mine/", views.my_requests, name="mine"),
    path("referrals/", views.my_referrals, name="my_referrals"),
    path("reports/", views.report, name="report"),
    path("data-protection/", views.data_protection, name="data_protection"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/<slug:action>/", views.act, name="act"),
]
