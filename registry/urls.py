from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.channel_list, name="channel_list"),
    path("ny/", views.channel_create, name="channel_create"),
    path("<int:pk>/", views.channel_detail, name="channel_detail"),
    path("<int:pk>/andra/", views.channel_edit, name="channel_edit"),
    path("<int:pk>/godkann/", views.channel_approve, name="channel_approve"),
    path("<int:pk>/avsla/", views.channel_reject, name="channel_reject"),
    path("<int:pk>/publicera/", views.channel_publish, name="channel_publish"),
    path("<int:pk>/avpublicera/", views.channel_unpublish, name="channel_unpublish"),
    path("<int:pk>/pausa/", views.channel_pause, name="channel_pause"),
    path("<int:pk>/ateruppta/", views.channel_resume, name="channel_resume"),
    path("<int:pk>/stang/", views.channel_close, name="channel_close"),
]
