# Envoy CRM application image: web (gunicorn), worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 envoy
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=envoy:envoy . .
RUN mkdir -p /app/var && chown envoy:envoy /app/var \
 && export DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://build \
 && python manage.py collectstatic --noinput -v 0 \
 && python manage.py compilemessages --ignore=var -v 0
USER envoy
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--no-control-socket", "--access-logfile", "-"]
