"""WSGI entry point for gunicorn: `gunicorn circle.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circle.settings")

application = get_wsgi_application()
