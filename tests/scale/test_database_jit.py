import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL setting")
def test_jit_is_off_for_web_connections():
    """Ranking every person compiled for longer than it ran: the app's connections run without JIT."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
