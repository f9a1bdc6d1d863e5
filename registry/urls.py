"""The registry's addresses, in three lists that ``norsjo/urls.py`` includes under their namespaces.

- ``channel_patterns`` (namespace ``registry``, under ``/kanaler/``): channels, proposed changes
  of address, and the web team's duties around the public list (4:4, 4:5, 4:8, yearly review);
- ``mandate_patterns`` (namespace ``mandates``, under ``/uppdrag/``): mandates (4:2, 4:3);
- ``public_patterns`` (namespace ``public``, at the root, no sign-in): the public list, its
  API and the verification of an address.
"""

from django.urls import path

from .views import channels, documentation, mandates, politician_links, public, reviews

channel_patterns = [
    path("", channels.channel_list, name="channel_list"),
    path("ny/", channels.channel_create, name="channel_create"),
    path("<int:pk>/", channels.channel_detail, name="channel_detail"),
    path("<int:pk>/andra/", channels.channel_edit, name="channel_edit"),
    path("<int:pk>/godkann/", channels.channel_approve, name="channel_approve"),
    path("<int:pk>/avsla/", channels.channel_reject, name="channel_reject"),
    path("<int:pk>/publicera/", channels.channel_publish, name="channel_publish"),
    path("<int:pk>/avpublicera/", channels.channel_unpublish, name="channel_unpublish"),
    path("<int:pk>/pausa/", channels.channel_pause, name="channel_pause"),
    path("<int:pk>/ateruppta/", channels.channel_resume, name="channel_resume"),
    path("<int:pk>/stang/", channels.channel_close, name="channel_close"),
    path("andring/<int:pk>/godkann/", channels.channel_change_approve, name="channel_change_approve"),
    path("andring/<int:pk>/avsla/", channels.channel_change_reject, name="channel_change_reject"),
    # The web team's duties around the public list (4:4, 4:5, 4:8) and the yearly review.
    path("forteckning/", public.public_preview, name="public_preview"),
    path("politiker/", politician_links.politician_list, name="politician_list"),
    path("politiker/ny/", politician_links.politician_create, name="politician_create"),
    path("politiker/<int:pk>/", politician_links.politician_detail, name="politician_detail"),
    path("politiker/<int:pk>/andra/", politician_links.politician_edit, name="politician_edit"),
    path("politiker/<int:pk>/publicera/", politician_links.politician_publish, name="politician_publish"),
    path("politiker/<int:pk>/avpublicera/", politician_links.politician_unpublish, name="politician_unpublish"),
    path("politiker/<int:pk>/aterkalla/", politician_links.politician_withdraw, name="politician_withdraw"),
    path("<int:pk>/dokumentation/", documentation.documentation_list, name="documentation_list"),
    path("<int:pk>/dokumentation/ny/", documentation.documentation_create, name="documentation_create"),
    path("dokumentation/fil/<int:pk>/", documentation.documentation_file, name="documentation_file"),
    path("dokumentation/forsenad/", documentation.documentation_overdue, name="documentation_overdue"),
    path("<int:pk>/granskning/", reviews.review_create, name="review_create"),
    path("granskning/forsenad/", reviews.reviews_overdue, name="reviews_overdue"),
]

mandate_patterns = [
    path("", mandates.mandate_mine, name="mine"),
    path("nytt/", mandates.mandate_grant, name="grant"),
    path("verksamhet/", mandates.mandate_manager, name="manager"),
    path("skribenter/", mandates.appointed_writers, name="writers"),
    path("riktlinjer/", mandates.guidelines_page, name="guidelines"),
    path("<int:pk>/", mandates.mandate_detail, name="detail"),
    path("<int:pk>/bekrafta/", mandates.mandate_acknowledge, name="acknowledge"),
    path("<int:pk>/aterkalla/", mandates.mandate_revoke, name="revoke"),
    path("<int:pk>/fornya/", mandates.mandate_renew, name="renew"),
    path("<int:pk>/utskrift/", mandates.mandate_print, name="print"),
]

public_patterns = [
    path("sociala-medier/", public.public_list, name="list"),
    path("sociala-medier/inbaddning/", public.public_embed, name="embed"),
    path("sociala-medier/kontrollera/", public.public_verify, name="verify"),
    path("sociala-medier/tillganglighet/", public.accessibility_statement, name="accessibility"),
    path("api/v1/channels/", public.api_channels, name="api_channels"),
    path("api/v1/channels.csv", public.api_channels_csv, name="api_channels_csv"),
    path("api/v1/organisation.jsonld", public.api_organisation, name="api_organisation"),
    path("api/v1/verify/", public.api_verify, name="api_verify"),
]
