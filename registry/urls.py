from django.urls import path

from . import views, views_duties

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
    path("andring/<int:pk>/godkann/", views.channel_change_approve, name="channel_change_approve"),
    path("andring/<int:pk>/avsla/", views.channel_change_reject, name="channel_change_reject"),
    # The web team's duties around the public list (4:4, 4:5, 4:8) and the yearly review.
    path("forteckning/", views_duties.public_preview, name="public_preview"),
    path("politiker/", views_duties.politician_list, name="politician_list"),
    path("politiker/ny/", views_duties.politician_create, name="politician_create"),
    path("politiker/<int:pk>/", views_duties.politician_detail, name="politician_detail"),
    path("politiker/<int:pk>/andra/", views_duties.politician_edit, name="politician_edit"),
    path("politiker/<int:pk>/publicera/", views_duties.politician_publish, name="politician_publish"),
    path("politiker/<int:pk>/avpublicera/", views_duties.politician_unpublish, name="politician_unpublish"),
    path("politiker/<int:pk>/aterkalla/", views_duties.politician_withdraw, name="politician_withdraw"),
    path("<int:pk>/dokumentation/", views_duties.documentation_list, name="documentation_list"),
    path("<int:pk>/dokumentation/ny/", views_duties.documentation_create, name="documentation_create"),
    path("dokumentation/fil/<int:pk>/", views_duties.documentation_file, name="documentation_file"),
    path("dokumentation/forsenad/", views_duties.documentation_overdue, name="documentation_overdue"),
    path("<int:pk>/granskning/", views_duties.review_create, name="review_create"),
    path("granskning/forsenad/", views_duties.reviews_overdue, name="reviews_overdue"),
]
