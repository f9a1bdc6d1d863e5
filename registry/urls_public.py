"""Public addresses: the list of channels, its API and the verification of an address."""

from django.urls import path

from . import views_public

app_name = "public"

urlpatterns = [
    path("sociala-medier/", views_public.public_list, name="list"),
    path("sociala-medier/inbaddning/", views_public.public_embed, name="embed"),
    path("sociala-medier/kontrollera/", views_public.public_verify, name="verify"),
    path("sociala-medier/tillganglighet/", views_public.accessibility_statement, name="accessibility"),
    path("api/v1/channels/", views_public.api_channels, name="api_channels"),
    path("api/v1/channels.csv", views_public.api_channels_csv, name="api_channels_csv"),
    path("api/v1/organisation.jsonld", views_public.api_organisation, name="api_organisation"),
    path("api/v1/verify/", views_public.api_verify, name="api_verify"),
]
