from django.urls import path

from . import figures_views

app_name = "figures"

urlpatterns = [path("", figures_views.public_figures, name="public")]
