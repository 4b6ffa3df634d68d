"""Who may do what with schools: the rules themselves."""

from __future__ import annotations

import pytest

PERMS_BY_USER = {
    # user: (add/import/export/coverage, change school A, appoint at school A, change school B)
    "education": (True, True, True, True),
    "coordinator": (True, True, True, True),
    "admin_a": (False, True, True, False),
    "liaison_a": (False, False, False, False),
    "liaison_b": (False, False, False, False),
    "police": (False, False, False, False),
    "outsider": (False, False, False, False),
    "sysadmin": (False, False, False, False),
}


@pytest.mark.parametrize("name", list(PERMS_BY_USER))
def test_permissions(request, record_a, record_b, name) -> None:
    user = request.getfixturevalue(name)
    manages, change_a, appoint_a, change_b = PERMS_BY_USER[name]
    for perm in ("add_school", "import_schools", "export_schools", "view_coverage"):
        assert user.has_perm(f"schools.{perm}") is manages, perm
    assert user.has_perm("schools.change_school_record", record_a) is manages
    assert user.has_perm("schools.change_school", record_a) is change_a
    assert user.has_perm("schools.appoint_liaison", record_a) is appoint_a
    assert user.has_perm("schools.change_school", record_b) is change_b
    assert user.has_perm("schools.appoint_liaison", record_b) is change_b


def test_every_member_reads_the_list(outsider, liaison_b, auditor) -> None:
    for user in (outsider, liaison_b, auditor):
        assert user.has_perm("schools.list_schools")


def test_read_only_user_of_the_bureau_does_not_manage(county) -> None:
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    reader = make_user("edu_reader", county.education, Role.READ_ONLY)
    assert not reader.has_perm("schools.add_school")


def test_anonymous_has_nothing(record_a) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not anonymous.has_perm("schools.list_schools")
    assert not anonymous.has_perm("schools.change_school", record_a)
