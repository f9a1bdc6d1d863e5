from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("logga/", views.log_start, name="log_start"),
    path("logga/kanal/<int:channel_pk>/", views.record_create, name="record_create"),
    path("statistik/", views.statistics, name="statistics"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/tillagg/", views.addendum_create, name="addendum_create"),
    path("<int:pk>/skarmdump/<int:position>/", views.attachment_download, name="attachment_download"),
]
