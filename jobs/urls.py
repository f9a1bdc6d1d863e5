"""Addresses of background jobs: a job's page, its state for the page's script, and its file."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/hamta/", views.job_download, name="job_download"),
]
