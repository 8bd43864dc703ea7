"""Removing uploaded import files that no import row points at.

An upload is stored before its row is saved. A failed save removes its file at once, but a worker
or process killed in between, or a transaction rolled back after the upload, can still leave a file
no one will ever read: confidential spreadsheets must not pile up under MEDIA_ROOT. The sweep (a
beat task and `manage.py sweep_import_uploads`) deletes such files once they are a day old, so an
upload whose row is still being written is never touched.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone

from contacts.models import SpreadsheetImport

IMPORT_UPLOAD_DIR = "contact-imports"
ORPHAN_MIN_AGE = dt.timedelta(days=1)


def orphan_import_uploads_sweep(*, min_age: dt.timedelta = ORPHAN_MIN_AGE, now: dt.datetime | None = None) -> list[str]:
    """Delete stored import files older than `min_age` that no SpreadsheetImport references.

    Returns the storage names deleted. Idempotent: a second run finds nothing to do.
    """
    now = now or timezone.now()
    if not default_storage.exists(IMPORT_UPLOAD_DIR):
        return []
    _, names = default_storage.listdir(IMPORT_UPLOAD_DIR)
    stored = {f"{IMPORT_UPLOAD_DIR}/{name}" for name in names}
    referenced = set(SpreadsheetImport.objects.filter(file__in=stored).values_list("file", flat=True))
    deleted = []
    for name in sorted(stored - referenced):
        if now - default_storage.get_modified_time(name) < min_age:
            continue
        default_storage.delete(name)
        deleted.append(name)
    return deleted
