"""Backups: a pg_dump / pg_restore round trip keeps every row of every model.

Every model of the project apps gets at least one row, built generically from its fields (so a
new model is covered without touching this test); all models, third-party ones included, are then
compared row for row count between the test database and a fresh database restored from the dump.
"""

import datetime
import decimal
import shutil
import subprocess  # nosec B404
import uuid

import psycopg
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

PROJECT_APPS = ("core", "trade", "contacts", "outreach")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL"),
]


def _value_for(field: models.Field, n: int):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.FileField):
        return f"backup-test/row{n}.csv"  # the path stored in the row; no file is needed for a dump
    if isinstance(field, models.EmailField):
        return f"row{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, (models.CharField, models.TextField, models.SlugField)):
        text = f"r{n}-{uuid.uuid4().hex}"
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2024, 1, 1)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(minutes=1)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b"x"
    if isinstance(field, models.FileField):
        # Only the stored name travels in the dump; the file itself lives in media storage.
        return f"backup-test/{n}-{uuid.uuid4().hex}.bin"
    pytest.fail(f"no sample value for {field!r}: teach _value_for this field type")


def _ensure_row(model: type[models.Model], depth: int = 0) -> models.Model:
    existing = model._base_manager.first()
    if existing is not None:
        return existing
    assert depth < 10, f"foreign keys too deep at {model}"
    if model._meta.label == "contacts.OfficeTransition":  # two different people (a check constraint)
        from tests.contacts.factories import PersonFactory

        return model._base_manager.create(
            predecessor=PersonFactory(), successor=PersonFactory(), takes_office_on=datetime.date(2027, 1, 1)
        )
    values, optional_relations = {}, []
    for n, field in enumerate(model._meta.concrete_fields):
        if isinstance(field, models.AutoField):
            continue
        if field.is_relation:
            if field.null:
                optional_relations.append(field)
            else:
                values[field.name] = _ensure_row(field.related_model, depth + 1)
            continue
        if (
            field.null
            or field.has_default()
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        values[field.name] = _value_for(field, n)
    # Check constraints such as "exactly one of person/organization": try adding optional relations.
    for extra in [None, *optional_relations]:
        attempt = dict(values)
        if extra is not None:
            attempt[extra.name] = _ensure_row(extra.related_model, depth + 1)
        try:
            with transaction.atomic():
                return model._base_manager.create(**attempt)
        except IntegrityError:
            continue
    raise AssertionError(f"could not build a sample {model._meta.label}: add explicit values to this test")


def _fill_m2m(model: type[models.Model]) -> None:
    instance = model._base_manager.first()
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            getattr(instance, field.name).add(_ensure_row(field.related_model))


def _table_counts(cursor) -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        table = model._meta.db_table
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_args(params) -> list[str]:
    args = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432)]
    if params["USER"]:
        args += ["-U", params["USER"]]
    return args


def test_dump_and_restore_keep_every_row_of_every_model(tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (apt-get install postgresql-client)")
    project_models = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and m._meta.managed]
    for model in project_models:
        _ensure_row(model)
    for model in project_models:
        _fill_m2m(model)
    empty = [m._meta.label for m in project_models if not m._base_manager.exists()]
    assert empty == []

    params = connection.settings_dict
    dump = tmp_path / "envoy.dump"
    subprocess.run(  # nosec B603
        ["pg_dump", *_pg_args(params), "--format=custom", "--no-owner", "-f", str(dump), params["NAME"]],
        check=True,
        capture_output=True,
        timeout=300,
    )
    restored = f"{params['NAME']}_restore"
    admin_conn = {"host": params["HOST"] or "127.0.0.1", "port": params["PORT"] or 5432, "user": params["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin_conn) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(  # nosec B603
            ["pg_restore", *_pg_args(params), "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with connection.cursor() as cursor:
            original = _table_counts(cursor)
        with psycopg.connect(dbname=restored, **admin_conn) as copy, copy.cursor() as cursor:
            copied = _table_counts(cursor)
            # Triggers come back too: audit history keeps being written after a restore.
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'envoy_audit'")
            assert cursor.fetchone()[0] >= 4
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin_conn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert copied == original
    assert all(original[m._meta.db_table] >= 1 for m in project_models)
