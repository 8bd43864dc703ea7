"""Health selectors: does the database answer, can the broker be reached."""

from django.db import connection


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  any failure means "not ok"
        return False
    return True


def broker_is_up() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:  # noqa: BLE001
        return False
    return True
