"""The moderation app's addresses: the log of removals (``log_patterns``), its archive
(``archive_patterns``) and the log's public proofs (``public_patterns``)."""

from django.urls import path

from .views import alerts, confidentiality, decisions, disclosure, disposal, export, holds, log, reads, transparency

app_name = "moderation"

log_patterns = [
    path("", log.record_list, name="record_list"),
    path("logga/", log.log_start, name="log_start"),
    path("logga/kanal/<int:channel_pk>/", log.record_create, name="record_create"),
    path("statistik/", log.statistics, name="statistics"),
    path("sekretess/", confidentiality.confidentiality_checklist, name="confidentiality_checklist"),
    path("<int:pk>/", log.record_detail, name="record_detail"),
    path("<int:pk>/tillagg/", log.addendum_create, name="addendum_create"),
    path("<int:pk>/polisanmalan/", alerts.police_report_create, name="police_report_create"),
    path("<int:pk>/larm-hanterat/", alerts.legal_alert_handle, name="legal_alert_handle"),
    path("<int:pk>/skarmdump/<int:position>/", log.attachment_download, name="attachment_download"),
]

# Exports, disposal (4:7), holds, disposal decisions and requests for public records.
archive_patterns = [
    path("export/", export.export, name="export"),
    path("export/hamta/", export.export_download, name="export_download"),
    path("export/starta/", export.export_start, name="export_start"),
    path("arkiv/", disposal.archive_home, name="archive_home"),
    path("arkiv/gallring/", disposal.disposal, name="disposal"),
    path("arkiv/gallringslogg/", disposal.disposal_log, name="disposal_log"),
    path("arkiv/gallringsbeslut/", decisions.decision_list, name="decision_list"),
    path("arkiv/gallringsbeslut/nytt/", decisions.decision_create, name="decision_create"),
    path("arkiv/gallringsbeslut/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("arkiv/gallringsbeslut/<int:pk>/avsluta/", decisions.decision_end, name="decision_end"),
    path("arkiv/lasloggen/", reads.read_log, name="read_log"),
    path("arkiv/lasloggen/csv/", reads.read_log_export, name="read_log_export"),
    path("arkiv/sparr/", holds.hold_list, name="hold_list"),
    path("arkiv/sparr/ny/", holds.hold_create, name="hold_create"),
    path("arkiv/sparr/<int:pk>/hav/", holds.hold_lift, name="hold_lift"),
    path("arkiv/utlamnande/", disclosure.disclosure_list, name="disclosure_list"),
    path("arkiv/utlamnande/ny/", disclosure.disclosure_create, name="disclosure_create"),
    path("arkiv/utlamnande/<int:pk>/", disclosure.disclosure_detail, name="disclosure_detail"),
    path("arkiv/utlamnande/<int:pk>/provning/<int:item_pk>/", disclosure.disclosure_review, name="disclosure_review"),
    path("arkiv/utlamnande/<int:pk>/kopia/", disclosure.disclosure_print, name="disclosure_print"),
    path("arkiv/integritet/", transparency.integrity, name="integrity"),
]

# The log's public proofs, /api/v1/moderation-log/ (namespace "moderation_log", norsjo/urls.py).
public_patterns = [
    path("checkpoint", transparency.checkpoint, name="checkpoint"),
    path("consistency", transparency.consistency, name="consistency"),
    path("key", transparency.key, name="key"),
]

urlpatterns = log_patterns + archive_patterns
