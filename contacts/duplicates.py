"""Likely duplicates: same normalised name plus a shared state or organization, or a shared email or phone.

Used when staff create a person (the form warns), when a spreadsheet is imported (the preview warns),
and by the duplicates page, which lists candidate pairs with a score and the reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from contacts.models import ContactPoint, Organization, Person, Position
from contacts.normalize import email_key, organization_name_key, person_name_key, phone_key

SCORE_NAME_AND_STATE = 70
SCORE_NAME_AND_ORGANIZATION = 70
SCORE_EMAIL = 90
SCORE_PHONE = 60
SCORE_ORG_NAME = 80
SCORE_ORG_WEBSITE = 60
PHONE_KINDS = ("phone", "mobile")


@dataclass
class DuplicateCandidate:
    """A record that looks like the one being entered."""

    record: Person | Organization
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    # Whether the match rests on the name (the rule a spreadsheet row without id or email is matched by);
    # kept apart from the reasons, which are words in the reader's language.
    same_name: bool = False

    def add(self, score: int, reason: str, *, same_name: bool = False) -> None:
        self.same_name = self.same_name or same_name
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.score = min(100, self.score + score)


@dataclass
class DuplicatePair:
    """Two existing records that look like the same person or organization."""

    first: Person | Organization
    second: Person | Organization
    score: int
    reasons: list[str]


def person_duplicates_for(
    *,
    first_name: str,
    last_name: str,
    state_ids: Iterable[int] = (),
    organization_ids: Iterable[int] = (),
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    exclude_pk: int | None = None,
) -> list[DuplicateCandidate]:
    """Existing people who look like the one described, best match first."""
    description = PersonDescription(first_name, last_name, state_ids, organization_ids, emails, phones)
    return PersonDuplicateIndex([description]).candidates(description, exclude_pk=exclude_pk)


@dataclass
class PersonDescription:
    """A person being entered (a form, a spreadsheet row), as the duplicate check sees them."""

    first_name: str
    last_name: str
    state_ids: Iterable[int] = ()
    organization_ids: Iterable[int] = ()
    emails: Iterable[str] = ()
    phones: Iterable[str] = ()

    @property
    def name_key(self) -> str:
        return person_name_key(first_name=self.first_name, last_name=self.last_name)

    @property
    def email_keys(self) -> set[str]:
        return {email_key(e) for e in self.emails if e and e.strip()}

    @property
    def phone_keys(self) -> set[str]:
        return {phone_key(p) for p in self.phones if p and len(phone_key(p)) >= 7}


class PersonDuplicateIndex:
    """The existing people who could match any of many descriptions, loaded in a fixed number of queries.

    A spreadsheet preview checks every row: asking the database once per row cost 2-3 queries a row
    (9,000 queries, 45 s for 5,000 rows). The index reads the same-name people and the shared contact
    points of all rows at once; `candidates` then answers each row in memory, with the same rule.
    """

    def __init__(self, descriptions: Iterable[PersonDescription]):
        descriptions = list(descriptions)
        name_keys = {d.name_key for d in descriptions if d.name_key and (d.state_ids or d.organization_ids)}
        email_keys = set().union(*(d.email_keys for d in descriptions))
        phone_keys = set().union(*(d.phone_keys for d in descriptions))
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        if name_keys:
            for person in Person.objects.filter(name_key__in=name_keys).prefetch_related("states", "positions"):
                self.by_name[person.name_key].append(person)
        self.points: dict[tuple[str, str], list[ContactPoint]] = defaultdict(list)
        if email_keys or phone_keys:
            points = ContactPoint.objects.filter(person__isnull=False).filter(
                Q(kind="email", value_key__in=email_keys) | Q(kind__in=PHONE_KINDS, value_key__in=phone_keys)
            )
            for point in points.select_related("person").order_by("id"):
                self.points["email" if point.kind == "email" else "phone", point.value_key].append(point)

    def candidates(self, description: PersonDescription, *, exclude_pk: int | None = None) -> list[DuplicateCandidate]:
        candidates: dict[int, DuplicateCandidate] = {}
        key = description.name_key
        state_ids, organization_ids = set(description.state_ids), set(description.organization_ids)
        if key and (state_ids or organization_ids):
            for person in self.by_name.get(key, ()):
                shared_states = sorted(s.code for s in person.states.all() if s.pk in state_ids)
                shared_orgs = {p.organization_id for p in person.positions.all()} & organization_ids
                candidate = candidates.setdefault(person.pk, DuplicateCandidate(person))
                if shared_states:
                    candidate.add(
                        SCORE_NAME_AND_STATE,
                        _("same name and state (%(states)s)") % {"states": ", ".join(shared_states)},
                        same_name=True,
                    )
                if shared_orgs:
                    candidate.add(SCORE_NAME_AND_ORGANIZATION, _("same name and organization"), same_name=True)
        matched = [("email", k) for k in description.email_keys] + [("phone", k) for k in description.phone_keys]
        points = sorted((p for found in matched for p in self.points.get(found, ())), key=lambda p: p.pk)
        for point in points:
            candidate = candidates.setdefault(point.person_id, DuplicateCandidate(point.person))
            if point.kind == "email":
                candidate.add(SCORE_EMAIL, _("same email (%(value)s)") % {"value": point.value})
            else:
                candidate.add(SCORE_PHONE, _("same phone (%(value)s)") % {"value": point.value})
        found = [c for pk, c in candidates.items() if c.reasons and pk != exclude_pk]
        return sorted(found, key=lambda c: (-c.score, c.record.pk))


def _pairs_from_groups(groups: dict[str, list[int]]) -> list[tuple[int, int]]:
    pairs = []
    for ids in groups.values():
        ids = sorted(set(ids))
        pairs.extend((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs


def person_duplicate_pairs(*, limit: int = 200) -> list[DuplicatePair]:
    """Candidate pairs among all people, best first (a fixed number of queries whatever the table size)."""
    found: dict[tuple[int, int], DuplicateCandidate] = {}

    def note(a: int, b: int, score: int, reason: str) -> None:
        found.setdefault((min(a, b), max(a, b)), DuplicateCandidate(record=None)).add(score, reason)

    repeated = (
        Person.objects.exclude(name_key="")
        .values("name_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("name_key")
    )
    same_name = list(Person.objects.filter(name_key__in=repeated).only("id", "name_key").prefetch_related("states"))
    orgs: dict[int, set[int]] = defaultdict(set)
    for person_id, org_id in Position.objects.filter(person__in=[p.pk for p in same_name]).values_list(
        "person_id", "organization_id"
    ):
        orgs[person_id].add(org_id)
    by_key: dict[str, list[Person]] = defaultdict(list)
    for person in same_name:
        by_key[person.name_key].append(person)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                shared = sorted({s.code for s in a.states.all()} & {s.code for s in b.states.all()})
                if shared:
                    note(
                        a.pk,
                        b.pk,
                        SCORE_NAME_AND_STATE,
                        _("same name and state (%(states)s)") % {"states": ", ".join(shared)},
                    )
                if orgs[a.pk] & orgs[b.pk]:
                    note(a.pk, b.pk, SCORE_NAME_AND_ORGANIZATION, _("same name and organization"))

    for kinds, score, label in (
        (("email",), SCORE_EMAIL, _("same email (%(value)s)")),
        (PHONE_KINDS, SCORE_PHONE, _("same phone (%(value)s)")),
    ):
        points = ContactPoint.objects.filter(person__isnull=False, kind__in=kinds).exclude(value_key="")
        shared_keys = points.values("value_key").annotate(n=Count("person", distinct=True)).filter(n__gt=1)
        groups: dict[str, list[int]] = defaultdict(list)
        for person_id, key in points.filter(value_key__in=shared_keys.values("value_key")).values_list(
            "person_id", "value_key"
        ):
            groups[key].append(person_id)
        for key, ids in groups.items():
            for a, b in _pairs_from_groups({key: ids}):
                note(a, b, score, label % {"value": key})

    ranked = sorted(found.items(), key=lambda item: (-item[1].score, item[0]))[:limit]
    ids = {pk for pair, _ in ranked for pk in pair}
    people_by_id = {p.pk: p for p in Person.objects.filter(pk__in=ids).with_list_relations()}
    return [
        DuplicatePair(people_by_id[a], people_by_id[b], candidate.score, candidate.reasons)
        for (a, b), candidate in ranked
        if a in people_by_id and b in people_by_id
    ]


def organization_duplicates_for(
    *, name: str, website: str = "", exclude_pk: int | None = None
) -> list[DuplicateCandidate]:
    """Existing organizations that look like the one described (same name key or same website domain)."""
    return OrganizationDuplicateIndex([(name, website)]).candidates(name=name, website=website, exclude_pk=exclude_pk)


class OrganizationDuplicateIndex:
    """The existing organizations that could match any of many (name, website) pairs, read at once.

    A spreadsheet preview checks every row; one query per row (a substring match on websites) grew
    with the file. The index reads the same-name organizations in one query and the same-website ones
    in one query per `DOMAIN_BATCH` domains; `candidates` then answers each row in memory.
    """

    DOMAIN_BATCH = 500

    def __init__(self, descriptions: Iterable[tuple[str, str]]):
        descriptions = list(descriptions)
        keys = {organization_name_key(name) for name, _website in descriptions} - {""}
        domains = sorted({_domain(website) for _name, website in descriptions} - {""})
        self.by_key: dict[str, list[Organization]] = defaultdict(list)
        self.by_domain: dict[str, list[Organization]] = defaultdict(list)
        found: dict[int, Organization] = {}
        if keys:
            found.update((o.pk, o) for o in Organization.objects.filter(name_key__in=keys))
        for start in range(0, len(domains), self.DOMAIN_BATCH):
            query = Q(pk__in=[])
            for domain in domains[start : start + self.DOMAIN_BATCH]:
                query |= Q(website__icontains=domain)
            found.update((o.pk, o) for o in Organization.objects.filter(query))
        for organization in sorted(found.values(), key=lambda o: o.pk):
            self.by_key[organization.name_key].append(organization)
            if organization.website:
                self.by_domain[_domain(organization.website)].append(organization)

    def candidates(self, *, name: str, website: str = "", exclude_pk: int | None = None) -> list[DuplicateCandidate]:
        key, domain = organization_name_key(name), _domain(website)
        candidates: dict[int, DuplicateCandidate] = {}
        if key:
            for organization in self.by_key.get(key, ()):
                candidate = candidates.setdefault(organization.pk, DuplicateCandidate(organization))
                candidate.add(SCORE_ORG_NAME, _("same name"), same_name=True)
        if domain:
            for organization in self.by_domain.get(domain, ()):
                candidates.setdefault(organization.pk, DuplicateCandidate(organization)).add(
                    SCORE_ORG_WEBSITE, _("same website (%(domain)s)") % {"domain": domain}
                )
        found = [c for pk, c in candidates.items() if pk != exclude_pk]
        return sorted(found, key=lambda c: (-c.score, c.record.pk))


def organization_duplicate_pairs(*, limit: int = 200) -> list[DuplicatePair]:
    repeated = Organization.objects.exclude(name_key="").values("name_key").annotate(n=Count("id")).filter(n__gt=1)
    organizations = list(
        Organization.objects.filter(name_key__in=repeated.values("name_key")).select_related("hq_state")
    )
    by_key: dict[str, list[Organization]] = defaultdict(list)
    for organization in organizations:
        by_key[organization.name_key].append(organization)
    pairs = []
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                reasons = [_("same name")]
                score = SCORE_ORG_NAME
                if a.website and _domain(a.website) == _domain(b.website):
                    reasons.append(_("same website (%(domain)s)") % {"domain": _domain(a.website)})
                    score = min(100, score + SCORE_ORG_WEBSITE)
                pairs.append(DuplicatePair(a, b, score, reasons))
    return sorted(pairs, key=lambda p: (-p.score, p.first.pk, p.second.pk))[:limit]


def _domain(url: str) -> str:
    url = (url or "").strip().lower()
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.").split("/")[0]
