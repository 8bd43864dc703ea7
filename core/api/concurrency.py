"""Optimistic concurrency on the API: `ETag` on a detail, `If-Match` (or `version`) on PUT/PATCH.

The rule (docs/security.md, "Concurrent edits"): every PUT/PATCH says which version of the record
the client read, either as `If-Match: "<version>"` (the `ETag` a GET or an earlier write returned)
or as `version` in the body. A write without either is refused with 428, so no client can
overwrite a colleague's change without having seen it. A stale `If-Match` is refused with 412, a
stale body `version` with 409; both carry the current version and what changed since in
`error.details`. The check itself is the service's (core.concurrency.version_check, under a row
lock), so pages and API share it.

A viewset opts in with `VersionedUpdateMixin`, its write serializer with `VersionedWriteSerializer`,
and its update action calls `self.versioned_write(...)`; the schema (core.api.schema.AutoSchema)
documents the headers and statuses for every view that uses the mixin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.errors import (
    DomainValidationError,
    EditConflictError,
    PreconditionFailedError,
    PreconditionRequiredError,
)

VERSIONED_ACTIONS = ("retrieve", "update", "partial_update")


def etag_for(version: int) -> str:
    return f'"{version}"'


def if_match_versions(header: str) -> list[int] | None:
    """The versions an `If-Match` header names; None for `*` (which names no version).

    Weak tags (`W/"3"`) are accepted like strong ones: the tag names the record's version, not a
    byte-exact representation, and proxies that compress responses weaken ETags on the way.
    """
    versions = []
    for part in header.split(","):
        tag = part.strip()
        if tag == "*":
            return None
        tag = tag.removeprefix("W/").strip('"')
        if tag.isdigit():
            versions.append(int(tag))
    return versions


class VersionedWriteSerializer(serializers.Serializer):
    """Base for write serializers of versioned records: the optional `version` the client read."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The record's version you read (from GET). Required unless you send If-Match.",
    )


class VersionedUpdateMixin:
    """For viewsets over `VersionedModel` records: ETag on retrieve and writes, If-Match on PUT/PATCH."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in VERSIONED_ACTIONS
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag_for(data["version"])
        return response

    def expected_version(self, *, instance, validated_data: dict) -> tuple[int, bool]:
        """The version the client read (popped from `validated_data`) and whether it came as If-Match."""
        body = validated_data.pop("version", None)
        header = self.request.headers.get("If-Match")
        if header is None:
            if body is None:
                raise PreconditionRequiredError(
                    _("Say which version you are changing: send If-Match with the ETag you read, or `version`."),
                    details={"current_version": instance.version},
                )
            return body, False
        versions = if_match_versions(header)
        if versions is None:
            raise PreconditionRequiredError(
                _("If-Match: * names no version; send the ETag you read."),
                details={"current_version": instance.version},
            )
        if body is not None and body not in versions:
            raise DomainValidationError(
                _("If-Match and `version` disagree."), details={"version": [_("Does not match If-Match.")]}
            )
        if not versions:
            raise PreconditionFailedError(
                _("If-Match names no version of this record."), details={"current_version": instance.version}
            )
        # Several tags: the one naming the current version, if any (the service re-checks under lock).
        return (instance.version if instance.version in versions else versions[0]), True

    def versioned_write(self, *, instance, validated_data: dict, write: Callable[[int], Any]) -> Any:
        """Run `write(expected_version)` (a service call); a refused If-Match becomes 412."""
        expected, from_header = self.expected_version(instance=instance, validated_data=validated_data)
        try:
            return write(expected)
        except EditConflictError as exc:
            if from_header and not isinstance(exc, PreconditionFailedError):
                raise PreconditionFailedError(exc.message, details=exc.details) from exc
            raise
