from django.urls import path

from . import mandate_views as views

app_name = "mandates"

urlpatterns = [
    path("", views.mandate_mine, name="mine"),
    path("nytt/", views.mandate_grant, name="grant"),
    path("verksamhet/", views.mandate_manager, name="manager"),
    path("skribenter/", views.appointed_writers, name="writers"),
    path("riktlinjer/", views.guidelines_page, name="guidelines"),
    path("<int:pk>/", views.mandate_detail, name="detail"),
    path("<int:pk>/bekrafta/", views.mandate_acknowledge, name="acknowledge"),
    path("<int:pk>/aterkalla/", views.mandate_revoke, name="revoke"),
    path("<int:pk>/fornya/", views.mandate_renew, name="renew"),
    path("<int:pk>/utskrift/", views.mandate_print, name="print"),
]
