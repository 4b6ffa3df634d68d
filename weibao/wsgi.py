"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
# A web process: its SQL statements are cut off at DB_STATEMENT_TIMEOUT_SECONDS (settings).
os.environ.setdefault("WEIBAO_PROCESS", "web")
application = get_wsgi_application()
