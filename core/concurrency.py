"""Optimistic concurrency for edits: nothing a colleague saved is ever silently overwritten.

Records people edit inherit `core.models.VersionedModel` (a `version` that goes up on every save).
Whoever shows an edit form or a detail sends the version it read; the edit service calls
`version_check` inside its transaction before writing. The row is locked (`SELECT ... FOR UPDATE`)
so two writers are serialised: the second one finds the version moved on and gets
`EditConflictError`. Pages show the form again with what was typed and name the other person's
changes from the audit history (`core.forms.VersionedFormMixin`); the API answers 412/409
(`core.api.concurrency.VersionedUpdateMixin`). The rule is documented in docs/security.md.
"""

from __future__ import annotations

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.errors import EditConflictError
from core.selectors import HistoryEntry


def change_sentences(entries: list[HistoryEntry]) -> list[str]:
    """One sentence per change: "lead1 changed title from A to B at 14:02"."""
    sentences = []
    for entry in entries:
        when = formats.time_format(timezone.localtime(entry.at), "H:i")
        for change in entry.changes:
            sentences.append(
                _("%(actor)s changed %(field)s from “%(before)s” to “%(after)s” at %(when)s")
                % {"actor": entry.actor, "field": change.field, "before": change.before, "after": change.after,
                   "when": when}
            )  # fmt: skip
        if entry.hidden_changes:
            sentences.append(
                _("%(actor)s changed %(count)s confidential field(s) at %(when)s")
                % {"actor": entry.actor, "count": entry.hidden_changes, "when": when}
            )
    return sentences


def version_check(*, instance: models.Model, expected: int | None, actor) -> None:
    """Lock `instance`'s row and refuse the write if it is no longer at version `expected`.

    Call inside the service's transaction, before writing. `expected=None` means the caller has
    no version to offer (an internal write such as an import): the row is still locked so the
    save that follows is serialised with editors, but nothing is compared. The refusal carries
    the current version; a page names the changes itself (it knows when its editor read the record).
    """
    model = type(instance)
    current = model._base_manager.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).get()
    if expected is None or current == expected:
        return
    raise EditConflictError(
        _(
            "Someone else saved this record (now version %(current)s) after you read version %(expected)s: "
            "read it again and reapply your change."
        )
        % {"current": current, "expected": expected},
        details={"current_version": current, "your_version": expected},
    )
