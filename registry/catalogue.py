"""The platform catalogue and the role groups that every installation starts with."""

from django.utils.translation import gettext_noop

PLATFORMS = [
    ("facebook", "Facebook", 10),
    ("instagram", "Instagram", 20),
    ("youtube", "YouTube", 30),
    ("x", "X (Twitter)", 40),
    ("linkedin", "LinkedIn", 50),
    ("flickr", "Flickr", 60),
    ("tiktok", "TikTok", 70),
    ("threads", "Threads", 80),
    ("mastodon", "Mastodon", 90),
    ("blog", gettext_noop("Blog"), 100),
    ("forum", gettext_noop("Forum"), 110),
    ("other", gettext_noop("Other"), 200),
]

GROUPS = ["web_team", "archivist", "registrator"]


def ensure_catalogue(platform_model, group_model) -> None:
    """Create the platforms and role groups that are missing (idempotent)."""
    existing = set(platform_model.objects.values_list("slug", flat=True))
    platform_model.objects.bulk_create(
        [
            platform_model(slug=slug, name=name, sort_order=order)
            for slug, name, order in PLATFORMS
            if slug not in existing
        ]
    )
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)
