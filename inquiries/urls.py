"""Inquiries under /inkommet/ (namespace ``inquiries``); /inkommet/ny/ and /inkommet/ are contracts (PRODUCT.md)."""

from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry_list"),
    path("ny/", views.inquiry_create, name="inquiry_create"),
    path("mina/", views.inquiry_mine, name="inquiry_mine"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("<int:pk>/tillagg/", views.addendum_create, name="addendum_create"),
    path("<int:pk>/skarmdump/", views.screenshot, name="screenshot"),
]
