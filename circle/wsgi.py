"""
WSGI entry point for the production server (README.md):
`granian --interface wsgi circle.wsgi:application`.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circle.settings")

application = get_wsgi_application()
