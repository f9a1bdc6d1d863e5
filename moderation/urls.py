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

# Issue 6: exports, disposal (4:7), holds and requests for public records (moderation/archival_views.py).
from . import archival_views  # noqa: E402

urlpatterns += [
    path("export/", archival_views.export, name="export"),
    path("export/hamta/", archival_views.export_download, name="export_download"),
    path("arkiv/", archival_views.archive_home, name="archive_home"),
    path("arkiv/gallring/", archival_views.disposal, name="disposal"),
    path("arkiv/gallringslogg/", archival_views.disposal_log, name="disposal_log"),
    path("arkiv/gallringsbeslut/", archival_views.decision_list, name="decision_list"),
    path("arkiv/gallringsbeslut/nytt/", archival_views.decision_create, name="decision_create"),
    path("arkiv/gallringsbeslut/<int:pk>/", archival_views.decision_detail, name="decision_detail"),
    path("arkiv/gallringsbeslut/<int:pk>/avsluta/", archival_views.decision_end, name="decision_end"),
    path("arkiv/sparr/", archival_views.hold_list, name="hold_list"),
    path("arkiv/sparr/ny/", archival_views.hold_create, name="hold_create"),
    path("arkiv/sparr/<int:pk>/hav/", archival_views.hold_lift, name="hold_lift"),
    path("arkiv/utlamnande/", archival_views.disclosure_list, name="disclosure_list"),
    path("arkiv/utlamnande/ny/", archival_views.disclosure_create, name="disclosure_create"),
    path("arkiv/utlamnande/<int:pk>/", archival_views.disclosure_detail, name="disclosure_detail"),
    path(
        "arkiv/utlamnande/<int:pk>/provning/<int:item_pk>/",
        archival_views.disclosure_review,
        name="disclosure_review",
    ),
    path("arkiv/utlamnande/<int:pk>/kopia/", archival_views.disclosure_print, name="disclosure_print"),
]

# Issue 12: the log's integrity for archivists (moderation/transparency/views.py).
from .transparency import views as transparency_views  # noqa: E402

urlpatterns += [path("arkiv/integritet/", transparency_views.integrity, name="integrity")]
