"""Request ids: every request gets one (or keeps the proxy's X-Request-ID) for logs and audit."""

import contextvars
import re
import uuid

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_request_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response
