"""One hierarchy for domain errors; the API maps them to one error envelope, pages to one message."""


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


class NotFoundError(DomainError):
    code = "not_found"
    status_code = 404


class ConflictError(DomainError):
    code = "conflict"
    status_code = 409
