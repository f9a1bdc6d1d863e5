"""
WSGI config for norsjo project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "norsjo.settings")

application = get_wsgi_application()

# Refuse to start without the moderation log's signing key (docs/deploy.md): a log that
# cannot sign its checkpoints cannot be witnessed.
from moderation.transparency.keys import signer  # noqa: E402 - needs the settings loaded above

signer()
