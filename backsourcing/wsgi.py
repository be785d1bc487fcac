"""WSGI entry point (gunicorn backsourcing.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsourcing.settings.production")

application = get_wsgi_application()
