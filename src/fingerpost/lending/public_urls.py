from django.urls import path

from . import public_views

app_name = "lending_public"

urlpatterns = [
    path("", public_views.borrow, name="borrow"),
    path("your-loans/<str:token>/", public_views.mine, name="mine"),
]
