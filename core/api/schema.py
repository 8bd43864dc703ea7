"""OpenAPI post-processing: document the error envelope for the statuses every operation can answer.

Views document their success responses (and any specific error) themselves; this hook adds the
statuses the shared machinery produces, so clients (and schema-driven tests) see them:
- 403: not signed in, or a role below the view's `read_role` / `write_role` (`RolePermission`);
- 404: an object that does not exist or that the user may not see (path parameters), or a page
  number past the end (paginated lists);
- 400: invalid fields (request body) or invalid filter / paging values (query parameters);
- 415: a request body in a content type the operation does not parse.
A status the view already documents keeps its description; an error status documented without a
body (`OpenApiResponse(description=...)`) gets the envelope as its body.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ERROR_COMPONENT = "ErrorEnvelope"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": 'Every API error: `{"error": {"code", "message", "details"}}`.',
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}
DESCRIPTIONS = {
    "400": "Invalid fields or query parameters.",
    "403": "Not signed in, or the role may not do this.",
    "404": "Not found, or not visible to this user.",
    "415": "Unsupported request content type.",
    "409": "Someone saved the record after the `version` you sent; details name the change.",
    "412": "Someone saved the record after the version in If-Match; details name the change.",
    "428": "Neither If-Match nor `version` says which version you are changing.",
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (`"3"`). Required unless the body has `version`.',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200"],
    description="The record's version; send it back in If-Match to change the record.",
)

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


class AutoSchema(openapi.AutoSchema):
    """Documents optimistic concurrency (core.api.concurrency) on every view that uses it."""

    def _versioned(self) -> bool:
        from core.api.concurrency import VersionedUpdateMixin

        return isinstance(self.view, VersionedUpdateMixin)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if not self._versioned():
            return parameters
        if self.method in ("PUT", "PATCH"):
            return [*parameters, IF_MATCH, ETAG]
        if self.method == "GET" and getattr(self.view, "action", None) == "retrieve":
            return [*parameters, ETAG]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._versioned() and self.method in ("PUT", "PATCH"):
            for code in ("409", "412", "428"):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
        return responses


def _error_statuses(operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in parameters)
    in_query = [p.get("name") for p in parameters if p.get("in") == "query"]
    statuses = ["403"]
    if operation.get("requestBody") or in_query:
        statuses.append("400")
    if in_path or "page" in in_query:
        statuses.append("404")
    if operation.get("requestBody"):
        statuses.append("415")
    return statuses


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the error envelope responses."""
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    used = False
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in _error_statuses(operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            for code, response in responses.items():
                if str(code).startswith("4") and not response.get("content"):
                    response["content"] = {"application/json": {"schema": ref}}
                    used = True
    if used:
        result.setdefault("components", {}).setdefault("schemas", {}).setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    return result
