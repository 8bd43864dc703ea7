"""One hierarchy for domain errors; the API maps them to one error envelope, pages to one message."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """Base class. `code` is stable for API clients; `message` is for people."""

    code = "error"
    status_code = 400

    def __init__(self, message: str, *, details=None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class DomainValidationError(DomainError):
    code = "invalid"
    status_code = 400


class PermissionDeniedError(DomainError, PermissionDenied):
    """The user may see the object but their role (or relation to it) does not allow this change.

    Also a Django `PermissionDenied`, so a page view that lets it propagate answers with the 403
    page, and the API with the error envelope and 403 (never 400: nothing was wrong with the input)."""

    code = "permission_denied"
    status_code = 403


class NotFoundError(DomainError):
    code = "not_found"
    status_code = 404


class ConflictError(DomainError):
    code = "conflict"
    status_code = 409
