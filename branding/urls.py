from django.urls import path

from . import views

app_name = "branding"

urlpatterns = [
    path("", views.branding_edit, name="edit"),
    path("logotyp/", views.branding_logo, name="logo"),
]
