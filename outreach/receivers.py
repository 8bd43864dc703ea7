"""Keep the cached "who to call next" scores in step with edits made in contacts.

Contacts does not know outreach exists, so a person's stance, influence or states changing (pages,
API, admin, imports that save one row at a time) reaches outreach through Django's signals. Each
change rescores its people after the transaction commits. Writes that send no signal
(bulk updates, raw SQL) are caught by the beat job, which recomputes the whole ranking every
15 minutes; people inserted in bulk make the ranking stale at once (its newest-person check).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from contacts.models import Person
from contacts.signals import public_influence_changed

logger = logging.getLogger(__name__)


def _rescore_later(person_ids) -> None:
    ids = sorted(person_ids)
    # Outside a transaction this runs at once; inside, after the outermost commit (never on rollback).
    transaction.on_commit(lambda: _rescore(ids))


def _rescore(ids: list[int]) -> None:
    from outreach.services import priority_scores_refresh

    try:
        priority_scores_refresh(person_ids=ids)
    except Exception:  # derived data: the beat job recomputes it; the edit itself has committed
        logger.exception("Could not rescore %d people after an edit", len(ids))


# The person's own columns the score reads (states come through the link signal below).
SCORED_FIELDS = {"stance", "influence", "public_influence"}


@receiver(post_save, sender=Person, dispatch_uid="outreach.rescore_person")
def rescore_saved_person(sender, instance: Person, raw: bool = False, update_fields=None, **kwargs) -> None:
    # A save that names its fields and touches none of the scored ones (merges, imports' stamps,
    # verification flags) costs no rescoring.
    if raw or (update_fields is not None and not SCORED_FIELDS & set(update_fields)):
        return
    _rescore_later([instance.pk])


@receiver(m2m_changed, sender=Person.states.through, dispatch_uid="outreach.rescore_person_states")
def rescore_person_states(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        _rescore_later([instance.pk])
    elif pk_set:
        _rescore_later(pk_set)


@receiver(public_influence_changed, dispatch_uid="outreach.rescore_public_influence")
def rescore_public_influence(sender, person_ids, **kwargs) -> None:
    # Sent after commit already: rescore now.
    _rescore(sorted(person_ids))
