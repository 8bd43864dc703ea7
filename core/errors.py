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


class EditConflictError(ConflictError):
    """Someone else saved the record after this editor read it (an optimistic-concurrency refusal).

    `details` holds `current_version` and `your_version`, so an API client can re-read and retry;
    a page names the other person's changes on the form. See core.concurrency.
    """

    code = "edit_conflict"
    status_code = 409


class PreconditionFailedError(EditConflictError):
    """The same refusal when the client's version came in `If-Match`: HTTP says 412 for that."""

    code = "precondition_failed"
    status_code = 412


class PreconditionRequiredError(DomainError):
    """A PUT/PATCH that says neither which version it read (`If-Match`) nor `version` in the body."""

    code = "precondition_required"
    status_code = 428
