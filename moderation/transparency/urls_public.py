"""/api/v1/moderation-log/: the log's public proofs (the contract of docs/moderation.md)."""

from django.urls import path

from . import views

urlpatterns = [
    path("checkpoint", views.checkpoint, name="moderation_log_checkpoint"),
    path("consistency", views.consistency, name="moderation_log_consistency"),
    path("key", views.key, name="moderation_log_key"),
]
