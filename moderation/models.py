"""The moderation log (4:10): removed comments kept as public records (4:6)."""
