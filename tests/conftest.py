import pytest
from rest_framework.test import APIClient

from core.roles import Role
from tests.core.factories import UserFactory
from tests.core.otp import otp_verify_session, otp_verify_user


@pytest.fixture
def make_user(db):
    def _make(role: Role | None = Role.VIEWER, **kwargs):
        user = UserFactory(**kwargs)
        if role != Role.VIEWER:
            from core.services import user_set_role

            user_set_role(user=user, role=role)
        return user

    return _make


@pytest.fixture
def viewer(make_user):
    return make_user(Role.VIEWER, username="viewer")


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, username="officer")


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, username="lead")


@pytest.fixture
def admin_user_role(make_user):
    return make_user(Role.ADMIN, username="adminrole")


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a Django test client logged in as that user.

    Admins get a confirmed authenticator device and a session that passed it (like a real login),
    since Admin pages need a second factor; tests of the two-factor flow use `client.force_login`.
    """

    def _login(user):
        client.force_login(user)
        otp_verify_session(client, user)
        return client

    return _login


@pytest.fixture
def api_for():
    """`api_for(user)` returns a DRF API client authenticated as that user (Admins second-factor verified)."""

    def _api(user):
        api = APIClient()
        otp_verify_user(user)
        api.force_authenticate(user)
        return api

    return _api


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures keyed by ids would leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _media_root_per_process(tmp_path_factory):
    """Files written by tests (packets, uploads) go to this test process's own directory, not var/media:
    test processes running side by side (pytest-xdist) number their rows alike and would write the
    same paths."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
