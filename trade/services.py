"""Writes for trade: importing files (with release precedence) and revising tariff scenarios."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from core.concurrency import version_check
from core.errors import DomainValidationError
from core.jobs import job_enqueue
from trade.choices import ImportFormat, ImportStatus
from trade.importers import MAX_REPORTED_ERRORS, PARSERS, FileRejected, ParseResult, Reference
from trade.models import (
    DataRelease,
    HSChapter,
    ImportRun,
    NationalTradeFlow,
    ScenarioOverlay,
    ScenarioRate,
    State,
    TariffMeasure,
    TariffScenario,
    TradeFlow,
)

log = logging.getLogger(__name__)

BULK_BATCH = 5000
PUBLIC_DOMAIN = gettext_noop("U.S. Government work, public domain (17 USC 105)")
REFRESH_TASK = "trade.refresh_exposure"


@dataclass(frozen=True)
class ReleaseInfo:
    """What the importer records about the file's publisher and vintage."""

    source: str
    title: str
    vintage_date: datetime.date
    url: str = ""
    licence: str = PUBLIC_DOMAIN
    coverage: str = ""
    is_synthetic: bool = False
    notes: str = ""


DEFAULT_SOURCES = {
    ImportFormat.BTS_DOT2: (
        gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (DOT2)"),
        "https://www.bts.gov/transborder",
    ),
    ImportFormat.BTS_ANNUAL: (
        gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (state totals)"),
        "https://www.bts.gov/transborder",
    ),
    ImportFormat.BTS_STATE_HS2_MONTHLY: (
        gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (state × HS2)"),
        "https://www.bts.gov/transborder",
    ),
    ImportFormat.BTS_STATE_HS2_ANNUAL: (
        gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (state × HS2, annual)"),
        "https://www.bts.gov/transborder",
    ),
    ImportFormat.BTS_NATIONAL_HS2: (
        gettext_noop("U.S. DOT Bureau of Transportation Statistics, TransBorder Freight Data (national HS2)"),
        "https://www.bts.gov/transborder",
    ),
    ImportFormat.CENSUS_STATEHS: (
        gettext_noop("U.S. Census Bureau, International Trade API (state by HS)"),
        "https://www.census.gov/data/developers/data-sets/international-trade.html",
    ),
}


def release_info_default(*, format: str, file_name: str) -> ReleaseInfo:
    """Release metadata for an upload that gives none: the format's publisher, vintage = today."""
    source, url = DEFAULT_SOURCES[ImportFormat(format)]
    return ReleaseInfo(source=source, title=file_name, url=url, vintage_date=timezone.localdate())


def trade_reference() -> Reference:
    return Reference(
        states=frozenset(State.objects.values_list("code", flat=True)),
        chapters=frozenset(HSChapter.objects.values_list("code", flat=True)),
    )


def _finish(
    run: ImportRun, *, status: str, result: ParseResult | None = None, message: str = "", **fields
) -> ImportRun:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    if result is not None:
        run.rows_read = result.rows_read
        run.rows_rejected = result.rows_rejected
        run.errors = result.errors[:MAX_REPORTED_ERRORS]
        run.summary = result.summary()
        if len(result.errors) > MAX_REPORTED_ERRORS:
            listed = ngettext(
                "Only the first %(listed)s of %(count)s row errors is listed.",
                "Only the first %(listed)s of %(count)s row errors are listed.",
                MAX_REPORTED_ERRORS,
            ) % {"listed": MAX_REPORTED_ERRORS, "count": len(result.errors)}
            run.message = f"{message} {listed}".strip()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    return run


def trade_file_import(
    *,
    content: bytes,
    file_name: str,
    format: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
    user=None,
    release_info: ReleaseInfo | None = None,
    enqueue_refresh: bool = True,
) -> ImportRun:
    """Validate a trade file and, unless it is a dry run, store its figures as one new DataRelease.

    All or nothing: when any row is invalid nothing is written, unless `skip_invalid`, in which case the
    valid rows go in and the invalid ones are listed. A file already imported (same SHA-256) writes
    nothing. Every attempt is recorded as an ImportRun. After a successful import the exposure refresh
    is queued (after commit).
    """
    if format not in PARSERS:
        message = _("Unknown format %(format)r.") % {"format": format}
        raise DomainValidationError(message, details={"formats": list(PARSERS)})
    checksum = hashlib.sha256(content).hexdigest()
    run = ImportRun.objects.create(
        format=format,
        file_name=file_name[:300],
        checksum=checksum,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        started_by=user,
    )
    existing = DataRelease.objects.filter(checksum=checksum).first()
    if existing is not None:
        return _finish(
            run,
            status=ImportStatus.UNCHANGED,
            release=existing,
            message=_("This file was already imported as release #%(release)s; nothing changed.")
            % {"release": existing.pk},
        )
    try:
        result = PARSERS[format](content, trade_reference())
    except FileRejected as exc:
        return _finish(run, status=ImportStatus.REJECTED, message=str(exc), errors=[{"row": None, "message": str(exc)}])
    if dry_run:
        return _finish(
            run,
            status=ImportStatus.DRY_RUN,
            result=result,
            rows_imported=0,
            message=_("Dry run: %(figures)s figure(s) would be stored from %(rows)s valid row(s).")
            % {"figures": len(result.records), "rows": result.rows_read - result.rows_rejected},
        )
    if result.errors and not skip_invalid:
        return _finish(
            run,
            status=ImportStatus.REJECTED,
            result=result,
            message=_("%(count)s invalid row(s): nothing was imported. Fix them or import with skip-invalid.")
            % {"count": result.rows_rejected},
        )
    if not result.records:
        return _finish(
            run,
            status=ImportStatus.REJECTED,
            result=result,
            message=_("No valid rows for Canada: nothing was imported."),
        )
    info = release_info or release_info_default(format=format, file_name=file_name)
    try:
        with transaction.atomic():
            release = _store_release(result=result, info=info, format=format, file_name=file_name, checksum=checksum)
            if enqueue_refresh:
                job_enqueue(
                    REFRESH_TASK,
                    kwargs={"trigger": f"import of release {release.pk}"},
                    queue="imports",
                    dedupe_key=f"{REFRESH_TASK}:release:{release.pk}",
                )
    except Exception as exc:
        log.exception("trade import failed: %s", file_name)
        return _finish(
            run,
            status=ImportStatus.FAILED,
            result=result,
            message=_("Import failed, nothing was written: %(error)s") % {"error": exc},
        )
    status = ImportStatus.PARTIAL if result.errors else ImportStatus.SUCCEEDED
    return _finish(
        run,
        status=status,
        result=result,
        release=release,
        rows_imported=result.rows_kept,
        message=_("Stored %(figures)s figure(s) as release #%(release)s.")
        % {"figures": len(result.records), "release": release.pk},
    )


def _store_release(
    *, result: ParseResult, info: ReleaseInfo, format: str, file_name: str, checksum: str
) -> DataRelease:
    years = result.years
    release = DataRelease.objects.create(
        source=info.source,
        title=info.title,
        url=info.url,
        licence=info.licence,
        vintage_date=info.vintage_date,
        format=format,
        file_name=file_name[:300],
        checksum=checksum,
        coverage=info.coverage or _coverage(result),
        first_year=years[0],
        last_year=years[-1],
        row_count=len(result.records),
        is_synthetic=info.is_synthetic,
        notes=info.notes,
    )
    chapters = dict(HSChapter.objects.values_list("code", "id"))
    if result.is_national:
        _insert_rows(
            NationalTradeFlow,
            ["flow", "year", "hs_chapter_id", "value_usd", "release_id", "is_effective"],
            ((r.flow, r.year, chapters[r.hs2], r.value_usd, release.pk, True) for r in result.records),
        )
        _resolve_national_precedence(release=release, years=years)
    else:
        states = dict(State.objects.values_list("code", "id"))
        _insert_rows(
            TradeFlow,
            ["state_id", "flow", "year", "month", "hs_chapter_id", "value_usd", "release_id", "is_effective"],
            (
                (
                    states[r.state],
                    r.flow,
                    r.year,
                    r.month,
                    chapters[r.hs2] if r.hs2 else None,
                    r.value_usd,
                    release.pk,
                    True,
                )
                for r in result.records
            ),
        )
        _resolve_state_precedence(release=release, records=result.records)
    return release


def _insert_rows(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Multi-row INSERTs of already validated figures, without building a model instance per row.

    Importing a file is dominated by its rows (410,000 in the bundled monthly file); `bulk_create`
    spends most of its time instantiating and preparing each model, so the rows go straight to
    `executemany` in batches. Database constraints (unique cells, non-negative values) still apply.
    """
    from django.db import connection

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(
        connection.ops.quote_name(model._meta.get_field(c).column) for c in ["created_at", "updated_at", *columns]
    )
    placeholders = ", ".join(["%s"] * (len(columns) + 2))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608  # nosec B608 — names from model metadata
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((now, now, *row))
            if len(batch) >= BULK_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _coverage(result: ParseResult) -> str:
    months = result.summary()["months"]
    years = result.years
    if not months:
        return f"{years[0]}–{years[-1]}, annual" if len(years) > 1 else f"{years[0]}, annual"
    parts = []
    for year, found in months.items():
        parts.append(f"{year} ({len(found)} month{'s' if len(found) != 1 else ''})")
    return ", ".join(parts)


def _precedence(vintage_date: datetime.date, release_id: int) -> tuple[datetime.date, int]:
    return (vintage_date, release_id)


def _pick_winners(rows: Iterable[tuple[int, tuple, datetime.date, int]]) -> tuple[list[int], list[int]]:
    """rows = (row id, cell key, vintage date, release id) → (winning row ids, losing row ids)."""
    by_cell: dict[tuple, list[tuple[tuple, int]]] = defaultdict(list)
    for row_id, cell, vintage, release_id in rows:
        by_cell[cell].append((_precedence(vintage, release_id), row_id))
    winners, losers = [], []
    for candidates in by_cell.values():
        candidates.sort(reverse=True)
        winners.append(candidates[0][1])
        losers.extend(row_id for _, row_id in candidates[1:])
    return winners, losers


def _set_effective(model, *, winners: list[int], losers: list[int]) -> None:
    for ids, flag in ((winners, True), (losers, False)):
        for start in range(0, len(ids), BULK_BATCH):
            model.objects.filter(pk__in=ids[start : start + BULK_BATCH]).update(is_effective=flag)


def _resolve_state_precedence(*, release: DataRelease, records: list) -> None:
    """Where another release covers a cell of this one, only the higher-precedence row stays effective.

    Only cells of the same kind compete (annual totals with annual totals, monthly chapter detail with
    monthly chapter detail, ...): different kinds are never added together by any reader.
    """
    years = sorted({r.year for r in records})
    kinds = {(r.month is None, r.hs2 is None) for r in records}
    fields = ("id", "state_id", "flow", "year", "month", "hs_chapter_id", "release__vintage_date", "release_id")
    for annual, all_goods in kinds:
        rivals = TradeFlow.objects.filter(year__in=years, month__isnull=annual, hs_chapter__isnull=all_goods).exclude(
            release=release
        )
        if not rivals.exists():
            continue
        rival_rows = list(rivals.values_list(*fields))
        own_rows = list(
            TradeFlow.objects.filter(release=release, month__isnull=annual, hs_chapter__isnull=all_goods).values_list(
                *fields
            )
        )
        own_cells = {row[1:6] for row in own_rows}
        contested = [row for row in rival_rows if row[1:6] in own_cells]
        if not contested:
            continue
        contested_cells = {row[1:6] for row in contested}
        candidates = [row for row in own_rows if row[1:6] in contested_cells] + contested
        winners, losers = _pick_winners((row[0], row[1:6], row[6], row[7]) for row in candidates)
        _set_effective(TradeFlow, winners=winners, losers=losers)


def _resolve_national_precedence(*, release: DataRelease, years: list[int]) -> None:
    fields = ("id", "year", "flow", "hs_chapter_id", "release__vintage_date", "release_id")
    rivals = list(NationalTradeFlow.objects.filter(year__in=years).exclude(release=release).values_list(*fields))
    if not rivals:
        return
    own = list(NationalTradeFlow.objects.filter(release=release).values_list(*fields))
    own_cells = {row[1:4] for row in own}
    contested = [row for row in rivals if row[1:4] in own_cells]
    contested_cells = {row[1:4] for row in contested}
    candidates = [row for row in own if row[1:4] in contested_cells] + contested
    winners, losers = _pick_winners((row[0], row[1:4], row[4], row[5]) for row in candidates)
    _set_effective(NationalTradeFlow, winners=winners, losers=losers)


# --- Scenarios --------------------------------------------------------------------------------

SCENARIO_COPY_FIELDS = [
    "slug",
    "name",
    "description",
    "description_fr",
    "effective_date",
    "source",
    "source_url",
    "rationale",
    "default_us_rate",
    "default_usmca_exempt_share",
    "usmca_exempt_share_source",
    "default_ca_rate",
    "elasticity_low",
    "elasticity_central",
    "elasticity_high",
    "elasticity_source",
    "jobs_per_billion_usd",
    "jobs_source",
    "jobs_source_fr",
    "is_synthetic",
    "regime_date",
    "regime_rolls_forward",
    "is_historical",
]


def scenario_revise(
    *, scenario: TariffScenario, changes: dict, rates: list[dict] | None = None, actor=None
) -> TariffScenario:
    """Create version n+1 of a scenario with `changes` applied; the old version stays as it was.

    `rates` (when given) replaces the per-chapter/pillar rates: dicts with hs_chapter or pillar,
    us_rate, usmca_exempt_share, ca_rate, note. Otherwise the old version's rates are copied.
    The exposure refresh for the new version is queued after commit.
    """
    unknown = set(changes) - set(SCENARIO_COPY_FIELDS) - {"is_default"}
    if unknown:
        fields = ", ".join(sorted(unknown))
        raise DomainValidationError(_("Unknown scenario field(s): %(fields)s.") % {"fields": fields})
    if "slug" in changes and changes["slug"] != scenario.slug:
        raise DomainValidationError(_("A new version keeps the scenario's slug."))
    with transaction.atomic():
        current = TariffScenario.objects.select_for_update().get(pk=scenario.pk)
        if not current.is_current_version:
            raise DomainValidationError(_("Only the current version of a scenario can be revised."))
        values = {name: getattr(current, name) for name in SCENARIO_COPY_FIELDS}
        changes = _clear_stale_french(changes, current, SCENARIO_FRENCH_FIELDS)
        values.update({name: value for name, value in changes.items() if name != "is_default"})
        make_default = changes.get("is_default", current.is_default)
        old_rates = list(current.rates.all())
        old_overlays = list(current.overlays.all())
        TariffScenario.objects.filter(pk=current.pk).update(is_current_version=False, is_default=False)
        if make_default:
            TariffScenario.objects.filter(is_default=True).update(is_default=False)
        new = TariffScenario(
            **values,
            version=current.version + 1,
            is_current_version=True,
            is_default=make_default,
            previous_version=current,
            created_by=actor,
        )
        new.full_clean()
        new.save()
        if rates is None:
            rate_rows = [
                ScenarioRate(
                    scenario=new,
                    hs_chapter_id=rate.hs_chapter_id,
                    pillar_id=rate.pillar_id,
                    us_rate=rate.us_rate,
                    usmca_exempt_share=rate.usmca_exempt_share,
                    ca_rate=rate.ca_rate,
                    note=rate.note,
                )
                for rate in old_rates
            ]
        else:
            rate_rows = [
                ScenarioRate(
                    scenario=new,
                    hs_chapter=rate.get("hs_chapter"),
                    pillar=rate.get("pillar"),
                    us_rate=Decimal(str(rate["us_rate"])),
                    usmca_exempt_share=Decimal(str(rate.get("usmca_exempt_share", 0))),
                    ca_rate=Decimal(str(rate["ca_rate"])),
                    note=rate.get("note", ""),
                )
                for rate in rates
            ]
        ScenarioRate.objects.bulk_create(rate_rows)
        ScenarioOverlay.objects.bulk_create(
            ScenarioOverlay(
                scenario=new,
                action=overlay.action,
                measure_id=overlay.measure_id,
                family=overlay.family,
                rate=overlay.rate,
                usmca_treatment=overlay.usmca_treatment,
                usmca_utilization=overlay.usmca_utilization,
                note=overlay.note,
            )
            for overlay in old_overlays
        )
        scenario_refresh_enqueue(scenario=new, trigger=f"new version {new.version} of {new.slug}")
    return new


def scenario_refresh_enqueue(*, scenario: TariffScenario, trigger: str) -> None:
    """Queue the exposure refresh of one scenario version (after commit, through the outbox)."""
    job_enqueue(
        REFRESH_TASK,
        kwargs={"scenario_slug": scenario.slug, "trigger": trigger},
        queue="imports",
        dedupe_key=f"{REFRESH_TASK}:scenario:{scenario.pk}",
    )


# English field → its French twin: a change to the English that leaves the French as it was would leave
# French readers a translation of the old text, so the French is cleared (they read the new English)
# unless the same edit gives a French text too.
SCENARIO_FRENCH_FIELDS = {"description": "description_fr", "jobs_source": "jobs_source_fr"}
MEASURE_FRENCH_FIELDS = {"title": "title_fr", "not_modelled_reason": "not_modelled_reason_fr"}


def _clear_stale_french(changes: dict, current, pairs: dict[str, str]) -> dict:
    stale = {
        french: ""
        for english, french in pairs.items()
        if english in changes and changes[english] != getattr(current, english) and french not in changes
    }
    return {**changes, **stale}


MEASURE_EDIT_FIELDS = [
    "title",
    "title_fr",
    "instrument",
    "instrument_citation",
    "rate",
    "usmca_treatment",
    "us_content_share",
    "us_content_source",
    "date_announced",
    "effective_from",
    "effective_to",
    "end_reason",
    "status",
    "source_url",
    "source_says",
    "secondary_sources",
    "verified_on",
    "verification_note",
    "not_modelled_reason",
    "not_modelled_reason_fr",
    "notes",
]


def tariff_measure_update(
    *, measure: TariffMeasure, changes: dict, actor=None, expected_version: int | None = None
) -> TariffMeasure:
    """Apply a Lead's or an admin's corrections to a measure (the audit history records who and what),
    then queue a refresh of every regime scenario, since any of them may apply the measure.
    `expected_version` is the version the editor read: a save by someone else since is refused
    (EditConflictError, docs/security.md "Concurrent edits")."""
    unknown = set(changes) - set(MEASURE_EDIT_FIELDS)
    if unknown:
        raise DomainValidationError(_("Unknown measure field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        version_check(instance=measure, expected=expected_version, actor=actor)
        locked = TariffMeasure.objects.select_for_update().get(pk=measure.pk)
        changes = _clear_stale_french(changes, locked, MEASURE_FRENCH_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save(update_fields=[*changes, "updated_at"])
        for scenario in TariffScenario.objects.current_versions().filter(
            Q(regime_rolls_forward=True) | Q(regime_date__isnull=False)
        ):
            scenario_refresh_enqueue(scenario=scenario, trigger=f"measure {locked.slug} edited")
    return locked
