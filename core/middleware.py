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


class QueryCountHeaderMiddleware:
    """Benchmarks only: count the SQL queries each request runs and send the count back as headers.

    `X-Query-Count` (queries on every database connection) and `X-Query-Time-Ms` (time spent in them),
    measured with `execute_wrapper`, so it works with DEBUG off under gunicorn. Off unless the
    `QUERY_COUNT_HEADER` setting is true (the bench settings read it from the environment): the
    header tells a client about the server's internals, which production must not do.
    """

    def __init__(self, get_response):
        from django.conf import settings
        from django.core.exceptions import MiddlewareNotUsed

        if not getattr(settings, "QUERY_COUNT_HEADER", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        import time
        from contextlib import ExitStack

        from django.db import connections

        stats = {"count": 0, "seconds": 0.0}

        def _counting(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["count"] += 1
                stats["seconds"] += time.perf_counter() - started

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(_counting))
            response = self.get_response(request)
        response["X-Query-Count"] = str(stats["count"])
        response["X-Query-Time-Ms"] = f"{stats['seconds'] * 1000:.1f}"
        return response
