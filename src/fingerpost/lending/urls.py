from django.urls import path

from . import views

app_name = "lending"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("devices/", views.inventory, name="inventory"),
    path("devices/add/", views.add_device, name="add_device"),
    path("devices/import/", views.import_devices, name="import"),
    path("devices/<str:asset_tag>/", views.device, name="device"),
    path("devices/<str:asset_tag>/edit/", views.edit_device, name="edit_device"),
    path("devices/<str:asset_tag>/lend/", views.issue, name="issue"),
    path("devices/<str:asset_tag>/wipe-check/", views.wipe_check, name="wipe_check"),
    path("devices/<str:asset_tag>/out-of-service/", views.out_of_service, name="out_of_service"),
    path("devices/<str:asset_tag>/back-in-service/", views.back_in_service, name="back_in_service"),
    path("devices/<str:asset_tag>/book/", views.book, name="book"),
    path(
        "devices/<str:asset_tag>/bookings/<int:pk>/cancel/",
        views.cancel_booking,
        name="cancel_booking",
    ),
    path("loans/", views.loans, name="loans"),
    path("loans/overdue/", views.overdue, name="overdue"),
    path("loans/<str:reference>/", views.loan, name="loan"),
    path("loans/<str:reference>/renew/", views.renew, name="renew"),
    path("loans/<str:reference>/remind/", views.remind, name="remind"),
    path("loans/<str:reference>/return/", views.return_loan, name="return"),
    path("loans/<str:reference>/lost/", views.lost, name="lost"),
    path("borrowers/", views.borrowers, name="borrowers"),
    path("borrowers/add/", views.add_borrower, name="add_borrower"),
    path("borrowers/<str:reference>/", views.borrower, name="borrower"),
    path("borrowers/<str:reference>/edit/", views.edit_borrower, name="edit_borrower"),
    path("borrowers/<str:reference>/hold/", views.place_hold, name="place_hold"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/cancel/", views.cancel_hold, name="cancel_hold"),
    path("from-help-request/<str:reference>/", views.hold_from_referral, name="referral"),
    path("rules/", views.rules_list, name="rules"),
    path("rules/<str:kind>/", views.edit_rule, name="edit_rule"),
    path("report/", views.report, name="report"),
]
