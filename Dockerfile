# One image for web (gunicorn), the Celery worker and beat; docker-compose.yml runs all three.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=backsourcing.settings.production

WORKDIR /app
RUN useradd --create-home --uid 1000 app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time (whitenoise serves them); the values below exist
# only so the settings load and are not used at run time.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R app:app /app/var/media

USER app
EXPOSE 8000
# Liveness of the web server (docs/operations.md): /healthz, no database. docker-compose.yml
# gives the worker and beat their own checks and web the fuller /readyz.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "-m", "health.probe", "/healthz"]
# Access lines on stdout with the request id, JSON like the application's (gunicorn.conf.py).
CMD ["gunicorn", "backsourcing.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
