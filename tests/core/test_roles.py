import pytest
from django.contrib.auth.models import AnonymousUser, Group

from core.roles import Role, ensure_role_groups, has_role, role_of
from core.services import demo_user_ensure, user_set_role

pytestmark = pytest.mark.django_db


def test_migration_creates_the_four_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Viewer", "Officer", "Lead", "Admin"}


def test_roles_are_ordered_and_inclusive(make_user):
    officer = make_user(Role.OFFICER)
    assert role_of(officer) == Role.OFFICER
    assert has_role(officer, Role.VIEWER)
    assert has_role(officer, Role.OFFICER)
    assert not has_role(officer, Role.LEAD)


def test_user_without_group_or_inactive_has_no_role(make_user):
    nobody = make_user(None)
    assert role_of(nobody) is None
    inactive = make_user(Role.LEAD, is_active=False)
    assert role_of(inactive) is None
    assert role_of(AnonymousUser()) is None


def test_set_role_replaces_previous_role_and_admin_gets_staff(make_user):
    user = make_user(Role.OFFICER)
    user_set_role(user=user, role=Role.ADMIN)
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["Admin"]
    assert user.is_staff
    user_set_role(user=user, role=Role.VIEWER)
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["Viewer"]
    assert not user.is_staff


def test_admin_group_holds_every_permission():
    from django.contrib.auth.models import Permission

    groups = ensure_role_groups()
    assert groups[Role.ADMIN].permissions.count() == Permission.objects.count()
    assert groups[Role.VIEWER].permissions.count() == 0


def test_demo_user_created_once_with_given_password():
    user, password = demo_user_ensure(username="demo", password="a-demo-password-123")
    assert password == "a-demo-password-123"
    assert user.check_password("a-demo-password-123")
    assert role_of(user) == Role.LEAD
    again, second = demo_user_ensure(username="demo", password="other")
    assert again.pk == user.pk and second is None


def test_admin_site_needs_admin_role(client_for, make_user):
    assert client_for(make_user(Role.LEAD)).get("/admin/").status_code == 302
    assert client_for(make_user(Role.ADMIN)).get("/admin/").status_code == 200
