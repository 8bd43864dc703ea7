"""Synthetic stakeholders and outreach history for tests, demos of scale and benchmarks.

Every row made here is labelled synthetic: `is_synthetic=True` and/or `source="synthetic"` where the
table has such a column, names that say "Synthetic", `.invalid` e-mail addresses. Tables without a flag
(positions, committee seats, follow-ups, commitments, many-to-many links) only ever point at synthetic
parents, so they are found and removed through them. Synthetic interactions only involve synthetic
people and organizations: real stakeholders never get invented history.

Rows are written in batches: PostgreSQL COPY (ids reserved from the table's sequence first) and
`bulk_create` elsewhere. Models are looked up by label through the app registry, so core does not import
the apps above it, and a table whose app is not installed yet is skipped and reported.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.audit import statement_context

SYNTHETIC = "synthetic"
STAFF_USERNAME_PREFIX = "synthetic-staff-"
TAG_PREFIX = "Synthetic tag "
COMMITTEE_CODE_PREFIX = "SYN"
BATCH_SIZE = 50_000

# Labels of the models this module writes; a missing one means its app has not landed yet.
PERSON = "contacts.Person"
ORGANIZATION = "contacts.Organization"
INTERACTION = "outreach.Interaction"
FOLLOW_UP = "outreach.FollowUp"
COMMITMENT = "outreach.Commitment"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001  (FieldDoesNotExist: the other app has not added the field yet)
        return False
    return True


def _choice_values(model: type[models.Model], name: str, *, exclude: Iterable[str] = ()) -> list[str]:
    excluded = set(exclude)
    return [value for value, _label in model._meta.get_field(name).choices if value not in excluded]


@dataclass
class SeedResult:
    """What one seeding run created, per table label, and what it skipped and why."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, label: str, count: int) -> None:
        self.created[label] = self.created.get(label, 0) + count


class BulkWriter:
    """Inserts plain row tuples fast: COPY on PostgreSQL, `bulk_create` elsewhere.

    Columns not given get the field's default (`auto_now` fields get one "now"), evaluated once per
    call, so a table that gains a column with a default keeps working without changes here.
    """

    def __init__(self, *, using: str) -> None:
        self.using = using
        self.connection = connections[using]
        self.is_postgresql = self.connection.vendor == "postgresql"
        self.now = timezone.now()

    def _default(self, model_field: models.Field):
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            return self.now
        # Like Django: the declared default, else "" for non-null text fields, else NULL.
        return model_field.get_default()

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        """Take `count` ids from the table's sequence, so children can point at rows before they exist."""
        if count == 0:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], *, with_ids: bool = False
    ) -> list[int]:
        """Insert `rows` (tuples in the order of `columns`, attnames); return the new ids if asked."""
        rows = list(rows)
        if not rows:
            return []
        if not self.is_postgresql:
            objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model.objects.using(self.using).bulk_create(objs, batch_size=500)
            return [obj.pk for obj in objs] if with_ids else []
        fields = [model._meta.get_field(name) for name in columns]
        json_positions = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        if json_positions:
            rows = [self._prepare_json(row, fields, json_positions) for row in rows]
        return self._copy(model, columns, rows, with_ids=with_ids)

    def insert_objects(self, model: type[models.Model], objs: list[models.Model]) -> list[int]:
        """Insert unsaved model instances (for tables whose model computes derived fields); set their ids."""
        if not objs:
            return []
        if not self.is_postgresql:
            model.objects.using(self.using).bulk_create(objs, batch_size=500)
            return [obj.pk for obj in objs]
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        for model_field in fields:
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                for obj in objs:
                    setattr(obj, model_field.attname, self.now)
        json_positions = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        rows = [
            self._prepare_json(tuple(getattr(obj, f.attname) for f in fields), fields, json_positions) for obj in objs
        ]
        ids = self._copy(model, [f.attname for f in fields], rows, with_ids=True)
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
        return ids

    def _prepare_json(self, row: tuple, fields: list[models.Field], positions: list[int]) -> tuple:
        values = list(row)
        for i in positions:
            values[i] = fields[i].get_db_prep_save(values[i], self.connection)
        return tuple(values)

    def _copy(self, model, columns: Sequence[str], rows: list[tuple], *, with_ids: bool) -> list[int]:
        """COPY database-ready rows; columns not given get their (constant) default."""
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        given = [by_attname[name] for name in columns]
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        constants = tuple(f.get_db_prep_save(self._default(f), self.connection) for f in rest)
        ids = self.reserve_ids(model, len(rows)) if with_ids else []
        column_names = ([model._meta.pk.column] if with_ids else []) + [f.column for f in given + rest]
        qn = self.connection.ops.quote_name
        sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in column_names)}) FROM STDIN"
        # COPY goes to the driver directly: the audit context is set around it (core.audit).
        with self.connection.cursor() as cursor, statement_context(cursor), cursor.cursor.copy(sql) as copy:
            if with_ids:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row, *constants))
            else:
                for row in rows:
                    copy.write_row((*row, *constants))
        return ids


def _derive(obj: models.Model) -> None:
    """Fill the fields a model computes in `save()` (bulk inserts skip `save()`)."""
    hook = getattr(obj, "refresh_derived_fields", None)
    if callable(hook):
        hook()
        return
    # Models that compute their keys inline in save(): use the same normaliser they call.
    normalisers: dict[str, tuple[str, Callable]] = {}
    for attr, path, argument in (
        ("name_key", "contacts.normalize.organization_name_key", "name"),
        ("value_key", "contacts.normalize.contact_value_key", None),
    ):
        if _has_field(type(obj), attr):
            try:
                normalisers[attr] = (argument, import_string(path))
            except ImportError:
                continue
    for attr, (argument, func) in normalisers.items():
        if argument == "name":
            setattr(obj, attr, func(obj.name))
        else:
            setattr(obj, attr, func(kind=obj.kind, value=obj.value))


def _staff_users(*, count: int, using: str) -> list:
    """Synthetic staff logins (no usable password) who own records, log calls and get follow-ups."""
    from core.roles import Role
    from core.services import user_set_role

    User = get_user_model()
    users = []
    for number in range(1, count + 1):
        user, created = User.objects.using(using).get_or_create(
            username=f"{STAFF_USERNAME_PREFIX}{number:02d}",
            defaults={"first_name": "Synthetic", "last_name": f"Staff {number:02d}", "email": ""},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user_set_role(user=user, role=Role.LEAD if number == 1 else Role.OFFICER)
        users.append(user)
    return users


def _next_number(model: type[models.Model], *, using: str) -> int:
    return model.objects.using(using).filter(is_synthetic=True).count() + 1


def _when(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """Mostly the last two years, a few in the next month (upcoming meetings)."""
    if rng.random() < 0.01:
        return now + dt.timedelta(minutes=rng.randint(60, 30 * 24 * 60))
    return now - dt.timedelta(minutes=rng.randint(0, 730 * 24 * 60))


@transaction.atomic
def synthetic_seed(
    *,
    people: int,
    organizations: int,
    interactions: int,
    follow_ups: int | None = None,
    commitments: int | None = None,
    relationships: int | None = None,
    committee_seats: int | None = None,
    staff: int = 5,
    seed: int = 20250101,
    using: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Add synthetic people, organizations and outreach history; every call adds more (see `synthetic_reset`).

    Defaults: follow-ups = interactions / 10, commitments = interactions / 20, relationships = people / 3,
    committee seats = people / 50 on five synthetic committees. Interactions need synthetic people: with
    none (existing or new) no interaction is made.
    """
    Person, Organization = _model(PERSON), _model(ORGANIZATION)
    using = using or router.db_for_write(Person)
    writer = BulkWriter(using=using)
    rng = random.Random(seed)  # noqa: S311  (reproducible fake data, not secrets)
    result = SeedResult()
    say = progress or (lambda _message: None)
    follow_ups = interactions // 10 if follow_ups is None else follow_ups
    commitments = interactions // 20 if commitments is None else commitments
    relationships = people // 3 if relationships is None else relationships
    committee_seats = people // 50 if committee_seats is None else committee_seats

    State, Pillar = _model("trade.State"), _model("trade.Pillar")
    state_ids = list(State.objects.using(using).filter(is_pseudo=False).values_list("id", flat=True))
    pillar_ids = list(Pillar.objects.using(using).values_list("id", flat=True))
    users = _staff_users(count=staff, using=using) if staff else []
    result.add("auth.User (synthetic staff)", len(users))
    user_ids = [u.pk for u in users]

    org_ids = _seed_organizations(writer, rng, count=organizations, state_ids=state_ids, pillar_ids=pillar_ids,
                                  user_ids=user_ids, result=result)  # fmt: skip
    say(f"organizations: {len(org_ids)}")
    if not org_ids:
        org_ids = list(Organization.objects.using(using).filter(is_synthetic=True).values_list("id", flat=True))
    person_ids, person_state = _seed_people(writer, rng, count=people, org_ids=org_ids, state_ids=state_ids,
                                            pillar_ids=pillar_ids, user_ids=user_ids, result=result)  # fmt: skip
    say(f"people: {len(person_ids)}")
    _seed_relationships(writer, rng, count=relationships, person_ids=person_ids, org_ids=org_ids, result=result)
    _seed_committee_seats(writer, rng, count=committee_seats, person_ids=person_ids, result=result)
    if interactions:
        if not person_ids:
            existing = Person.objects.using(using).filter(is_synthetic=True)
            person_state = dict(existing.values_list("id", "states__id"))
            person_ids = list(person_state)
        if _model(INTERACTION) is None:
            result.skipped.append("interactions, follow-ups, commitments: the outreach models are not installed")
        elif not person_ids:
            result.skipped.append("interactions: no synthetic people to attach them to")
        else:
            _seed_interactions(writer, rng, count=interactions, follow_ups=follow_ups, commitments=commitments,
                               person_ids=person_ids, person_state=person_state, org_ids=org_ids,
                               pillar_ids=pillar_ids, user_ids=user_ids, result=result, say=say)  # fmt: skip
    return result


def _seed_organizations(writer, rng, *, count, state_ids, pillar_ids, user_ids, result) -> list[int]:
    Organization = _model(ORGANIZATION)
    if not count:
        return []
    first = _next_number(Organization, using=writer.using)
    org_types = _choice_values(Organization, "org_type")
    links = _choice_values(Organization, "canadian_link")
    objs = []
    for number in range(first, first + count):
        obj = Organization(
            name=f"Synthetic Organization {number:06d}",
            org_type=rng.choice(org_types),
            description="Synthetic organization for tests and benchmarks.",
            hq_state_id=rng.choice(state_ids) if state_ids else None,
            canadian_link=rng.choice(links),
            owner_id=rng.choice(user_ids) if user_ids and rng.random() < 0.5 else None,
            source=SYNTHETIC,
            source_detail="seed_synthetic",
            is_synthetic=True,
        )
        _derive(obj)
        objs.append(obj)
    ids = []
    for start in range(0, len(objs), BATCH_SIZE):
        ids += writer.insert_objects(Organization, objs[start : start + BATCH_SIZE])
    result.add("contacts.Organization", len(ids))
    if state_ids:
        Presence = Organization.states.through
        rows = []
        for org_id, obj in zip(ids, objs, strict=True):
            for state_id in {obj.hq_state_id, rng.choice(state_ids)}:
                rows.append((org_id, state_id, rng.choice([None, rng.randint(10, 5000)])))
        writer.insert(Presence, ["organization_id", "state_id", "employees"], rows)
        result.add(Presence._meta.label, len(rows))
    if pillar_ids:
        Link = Organization.pillars.through
        rows = [(org_id, p) for org_id in ids for p in rng.sample(pillar_ids, k=rng.randint(0, 2))]
        writer.insert(Link, ["organization_id", "pillar_id"], rows)
        result.add(Link._meta.label, len(rows))
    return ids


def _seed_people(writer, rng, *, count, org_ids, state_ids, pillar_ids, user_ids, result):
    Person = _model(PERSON)
    if not count:
        return [], {}
    first = _next_number(Person, using=writer.using)
    stances = _choice_values(Person, "stance")
    kinds = _choice_values(Person, "kind") if _has_field(Person, "kind") else []
    ids: list[int] = []
    numbers = list(range(first, first + count))
    for start in range(0, count, BATCH_SIZE):
        objs = []
        for number in numbers[start : start + BATCH_SIZE]:
            obj = Person(
                first_name="Synthetic",
                last_name=f"Person {number:06d}",
                full_name=f"Synthetic Person {number:06d}",
                title="Synthetic stakeholder",
                stance=rng.choice(stances),
                influence=rng.choice([None, 1, 2, 3, 4, 5]),
                owner_id=rng.choice(user_ids) if user_ids and rng.random() < 0.6 else None,
                is_current_office_holder=rng.random() < 0.3,
                source=SYNTHETIC,
                source_detail="seed_synthetic",
                notes="Synthetic record for tests and benchmarks.",
                is_synthetic=True,
            )
            if kinds:
                obj.kind = rng.choice(kinds)
            _derive(obj)
            objs.append(obj)
        ids += writer.insert_objects(Person, objs)
    result.add("contacts.Person", len(ids))

    person_state: dict[int, int | None] = {}
    if state_ids:
        rows = []
        for person_id in ids:
            picked = rng.sample(state_ids, k=1 if rng.random() < 0.8 else 2)
            person_state[person_id] = picked[0]
            rows += [(person_id, s) for s in picked]
        writer.insert(Person.states.through, ["person_id", "state_id"], rows)
        result.add(Person.states.through._meta.label, len(rows))
    else:
        person_state = dict.fromkeys(ids)
    if pillar_ids:
        rows = [(pid, p) for pid in ids for p in rng.sample(pillar_ids, k=rng.randint(0, 2))]
        writer.insert(Person.pillars.through, ["person_id", "pillar_id"], rows)
        result.add(Person.pillars.through._meta.label, len(rows))
    _seed_tags(writer, rng, person_ids=ids, result=result)

    ContactPoint = _model("contacts.ContactPoint")
    points = []
    for person_id, number in zip(ids, numbers, strict=True):
        point = ContactPoint(
            person_id=person_id,
            kind="email",
            label="Synthetic",
            value=f"person{number:06d}@synthetic.invalid",
            is_preferred=True,
            source=SYNTHETIC,
        )
        _derive(point)
        points.append(point)
    for start in range(0, len(points), BATCH_SIZE):
        writer.insert_objects(ContactPoint, points[start : start + BATCH_SIZE])
    result.add("contacts.ContactPoint", len(points))

    if org_ids:
        Position = _model("contacts.Position")
        today = timezone.localdate()
        rows = [
            (
                pid,
                rng.choice(org_ids),
                "Synthetic position",
                today - dt.timedelta(days=rng.randint(30, 3650)),
                current := rng.random() < 0.85,
                None if current else today - dt.timedelta(days=rng.randint(1, 29)),
            )
            for pid in ids
        ]
        columns = ["person_id", "organization_id", "title", "start_date", "is_current", "end_date"]
        writer.insert(Position, columns, rows)
        result.add("contacts.Position", len(rows))
    return ids, person_state


def _seed_tags(writer, rng, *, person_ids, result) -> None:
    Tag = _model("contacts.Tag")
    Person = _model(PERSON)
    tag_ids = [Tag.objects.using(writer.using).get_or_create(name=f"{TAG_PREFIX}{n:02d}")[0].pk for n in range(1, 11)]
    rows = [(pid, t) for pid in person_ids for t in rng.sample(tag_ids, k=rng.choice([0, 0, 1, 2]))]
    writer.insert(Person.tags.through, ["person_id", "tag_id"], rows)
    result.add(Person.tags.through._meta.label, len(rows))


def _seed_relationships(writer, rng, *, count, person_ids, org_ids, result) -> None:
    Relationship = _model("contacts.Relationship")
    if not count or len(person_ids) < 2:
        return
    kinds = _choice_values(Relationship, "kind")
    rows = []
    for _ in range(count):
        source, target = rng.sample(person_ids, k=2)
        to_org = org_ids and rng.random() < 0.3
        rows.append(
            (
                source,
                None if to_org else target,
                rng.choice(org_ids) if to_org else None,
                rng.choice(kinds),
                rng.randint(1, 5),
                SYNTHETIC,
            )
        )
    columns = ["from_person_id", "to_person_id", "to_organization_id", "kind", "strength", "source"]
    writer.insert(Relationship, columns, rows)
    result.add("contacts.Relationship", len(rows))


def _seed_committee_seats(writer, rng, *, count, person_ids, result) -> None:
    Committee, Membership = _model("contacts.Committee"), _model("contacts.CommitteeMembership")
    if not count or not person_ids:
        return
    committees = [
        Committee.objects.using(writer.using).get_or_create(
            code=f"{COMMITTEE_CODE_PREFIX}{n:02d}", defaults={"name": f"Synthetic Committee {n:02d}"}
        )[0]
        for n in range(1, 6)
    ]
    taken = set(
        Membership.objects.using(writer.using).filter(committee__in=committees).values_list("person_id", "committee_id")
    )
    rows = []
    for rank, person_id in enumerate(rng.sample(person_ids, k=min(count, len(person_ids))), start=1):
        committee_id = rng.choice(committees).pk
        if (person_id, committee_id) not in taken:
            taken.add((person_id, committee_id))
            rows.append((person_id, committee_id, rng.choice(["majority", "minority"]), rank, ""))
    writer.insert(Membership, ["person_id", "committee_id", "party_side", "rank", "title"], rows)
    result.add("contacts.CommitteeMembership", len(rows))


def _skewed(rng: random.Random, items: Sequence[int]) -> int:
    """A few stakeholders get most of the attention, as in real outreach (and long timelines to show)."""
    return items[int(len(items) * rng.random() ** 2)]


def _seed_interactions(
    writer, rng, *, count, follow_ups, commitments, person_ids, person_state, org_ids, pillar_ids, user_ids,
    result, say,
) -> None:  # fmt: skip
    Interaction = _model(INTERACTION)
    kinds = _choice_values(Interaction, "kind")
    kind_weights = [{"call": 5, "email": 4, "meeting": 3}.get(k, 1) for k in kinds]
    sentiments = _choice_values(Interaction, "sentiment")
    now = timezone.now()
    through = {name: Interaction._meta.get_field(name).remote_field.through for name in
               ("people", "organizations", "states", "pillars", "staff")}  # fmt: skip
    interaction_people: list[tuple[int, int]] = []
    columns = ["kind", "occurred_at", "duration_minutes", "summary", "confidential_notes", "sentiment",
               "created_by_id", "is_synthetic"]  # fmt: skip
    done = 0
    first = _next_number(Interaction, using=writer.using)
    while done < count:
        size = min(BATCH_SIZE, count - done)
        rows, links = [], {name: [] for name in through}
        for offset in range(size):
            number = first + done + offset
            people = {_skewed(rng, person_ids) for _ in range(1 if rng.random() < 0.7 else 2)}
            author = rng.choice(user_ids) if user_ids else None
            rows.append(
                (
                    rng.choices(kinds, weights=kind_weights)[0],
                    _when(rng, now),
                    rng.choice([15, 30, 45, 60, 90]),
                    f"Synthetic interaction {number:07d} (benchmark data, not a real contact).",
                    "Synthetic confidential note." if rng.random() < 0.1 else "",
                    rng.choice(sentiments),
                    author,
                    True,
                )
            )
            links["people"].append(people)
            links["organizations"].append({rng.choice(org_ids)} if org_ids and rng.random() < 0.3 else set())
            state = person_state.get(next(iter(people)))
            links["states"].append({state} if state else set())
            links["pillars"].append({rng.choice(pillar_ids)} if pillar_ids and rng.random() < 0.5 else set())
            links["staff"].append({author} if author else set())
        ids = writer.insert(Interaction, columns, rows, with_ids=True)
        for name, model in through.items():
            source, target = _through_columns(model, Interaction)
            link_rows = [(iid, t) for iid, targets in zip(ids, links[name], strict=True) for t in targets]
            writer.insert(model, [source, target], link_rows)
            result.add(model._meta.label, len(link_rows))
        interaction_people += [(iid, min(p)) for iid, p in zip(ids, links["people"], strict=True)]
        done += size
        say(f"interactions: {done}/{count}")
    result.add(INTERACTION, done)
    _seed_follow_ups(writer, rng, count=follow_ups, pairs=interaction_people, user_ids=user_ids, result=result)
    _seed_commitments(writer, rng, count=commitments, pairs=interaction_people, result=result)


def _through_columns(through: type[models.Model], source_model: type[models.Model]) -> tuple[str, str]:
    fks = [f for f in through._meta.concrete_fields if f.is_relation]
    source = next(f for f in fks if f.related_model is source_model)
    target = next(f for f in fks if f is not source)
    return source.attname, target.attname


def _seed_follow_ups(writer, rng, *, count, pairs, user_ids, result) -> None:
    FollowUp = _model(FOLLOW_UP)
    if FollowUp is None or not count or not pairs or not user_ids:
        return
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for interaction_id, person_id in rng.sample(pairs, k=min(count, len(pairs))):
        status = rng.choices(["open", "done", "cancelled"], weights=[60, 35, 5])[0]
        assignee = rng.choice(user_ids)
        rows.append(
            (
                "Synthetic follow-up (benchmark data)",
                assignee,
                today + dt.timedelta(days=rng.randint(-60, 60)),
                status,
                interaction_id,
                person_id,
                assignee,
                assignee if status == "done" else None,
                now if status == "done" else None,
            )
        )
    columns = ["what", "assignee_id", "due_date", "status", "interaction_id", "person_id", "created_by_id",
               "completed_by_id", "completed_at"]  # fmt: skip
    for start in range(0, len(rows), BATCH_SIZE):
        writer.insert(FollowUp, columns, rows[start : start + BATCH_SIZE])
    result.add(FOLLOW_UP, len(rows))


def _seed_commitments(writer, rng, *, count, pairs, result) -> None:
    Commitment = _model(COMMITMENT)
    if Commitment is None or not count or not pairs:
        return
    parties = _choice_values(Commitment, "party")
    rows = [
        (iid, rng.choice(parties), "Synthetic commitment (benchmark data)", rng.choice(["open", "open", "fulfilled"]))
        for iid, _person in rng.sample(pairs, k=min(count, len(pairs)))
    ]
    writer.insert(Commitment, ["interaction_id", "party", "description", "status"], rows)
    result.add(COMMITMENT, len(rows))


def synthetic_reset(*, using: str | None = None, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Delete every synthetic row (and only those), with what hangs off them; returns deleted counts.

    Goes through the ORM's delete so every `on_delete` rule, signal and history hook of the owning apps
    applies; large tables go in batches of ids to bound memory.
    """
    say = progress or (lambda _message: None)
    deleted: dict[str, int] = {}
    Person = _model(PERSON)
    using = using or router.db_for_write(Person)

    def _delete(queryset: models.QuerySet, label: str) -> None:
        while True:
            ids = list(queryset.values_list("pk", flat=True)[: BATCH_SIZE // 5])
            if not ids:
                break
            with transaction.atomic(using=using):
                _total, per_model = queryset.model.objects.using(using).filter(pk__in=ids).delete()
            for model_label, n in per_model.items():
                deleted[model_label] = deleted.get(model_label, 0) + n
            say(f"deleted {label}: {deleted.get(queryset.model._meta.label, 0)}")

    for label in (INTERACTION, PERSON, ORGANIZATION):
        model = _model(label)
        if model is not None:
            _delete(model.objects.using(using).filter(is_synthetic=True), label)
    Committee, Tag = _model("contacts.Committee"), _model("contacts.Tag")
    _delete(Committee.objects.using(using).filter(code__startswith=COMMITTEE_CODE_PREFIX,
                                                  name__startswith="Synthetic Committee"), "committees")  # fmt: skip
    _delete(Tag.objects.using(using).filter(name__startswith=TAG_PREFIX), "tags")
    User = get_user_model()
    FollowUp = _model(FOLLOW_UP)
    staff = User.objects.using(using).filter(username__startswith=STAFF_USERNAME_PREFIX, first_name="Synthetic")
    if FollowUp is not None:
        # A synthetic account still assigned real work (someone reassigned it) is kept, not deleted.
        staff = staff.exclude(pk__in=FollowUp.objects.using(using).values("assignee_id"))
    _delete(staff, "synthetic staff")
    return deleted
