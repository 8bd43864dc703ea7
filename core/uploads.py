"""Checks for uploaded import files: size limit and allowed extensions.

Uploads are stored under MEDIA_ROOT, which no URL serves: an uploaded file is only ever read by the
import job, never sent back to a browser as-is.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import DomainValidationError

IMPORT_EXTENSIONS = (".csv", ".xlsx", ".json", ".zip")


def upload_check(upload, *, max_bytes: int | None = None, extensions: tuple[str, ...] = IMPORT_EXTENSIONS) -> None:
    """Raise DomainValidationError when the upload is larger than allowed or of a type not accepted.

    `upload.size` is what Django counted while receiving the file, not a client-declared header.
    """
    limit = settings.IMPORT_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if upload.size > limit:
        raise DomainValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            details={"field": "file", "code": "too_large", "max_bytes": limit},
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    if extensions and suffix not in extensions:
        raise DomainValidationError(
            _("Files of type %(suffix)s are not accepted (use %(allowed)s).")
            % {"suffix": suffix or "?", "allowed": ", ".join(extensions)},
            details={"field": "file", "code": "bad_type"},
        )


def validate_import_upload(upload) -> None:
    """Form/serializer field validator with the same rule as `upload_check`."""
    try:
        upload_check(upload)
    except DomainValidationError as exc:
        raise ValidationError(exc.message, code=exc.details.get("code")) from exc
