"""Password history: a new password is neither the current one nor one of the last five."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.models import PasswordHistory, User
from weibao.accounts.services import PASSWORD_HISTORY_COUNT, password_change, user_reset_password
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

pytestmark = pytest.mark.usefixtures("english")


def _passwords(n: int) -> list[str]:
    return [f"Weibao-new-{i:02d}x" for i in range(n)]


def test_the_current_password_is_refused(liaison_a: User) -> None:
    with pytest.raises(ValidationError) as refused:
        password_change(actor=liaison_a, new_password=PASSWORD)
    assert refused.value.error_dict["new_password2"][0].code == "password_reused"
    assert "last 5" in refused.value.messages[0]
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)
    assert not PasswordHistory.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD).exists()


def test_none_of_the_last_five_may_come_back(liaison_a: User) -> None:
    for password in _passwords(PASSWORD_HISTORY_COUNT):
        password_change(actor=liaison_a, new_password=password)
    # Current: the fifth new one; history: PASSWORD and the first four new ones.
    for old in [PASSWORD, *_passwords(PASSWORD_HISTORY_COUNT)]:
        with pytest.raises(ValidationError):
            password_change(actor=liaison_a, new_password=old)
    assert liaison_a.password_history.count() == PASSWORD_HISTORY_COUNT


def test_the_sixth_oldest_is_forgotten_and_allowed(liaison_a: User) -> None:
    for password in _passwords(PASSWORD_HISTORY_COUNT + 1):
        password_change(actor=liaison_a, new_password=password)
    assert liaison_a.password_history.count() == PASSWORD_HISTORY_COUNT  # pruned
    password_change(actor=liaison_a, new_password=PASSWORD)  # six changes ago: allowed again
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)


def test_history_keeps_hashes_not_passwords(liaison_a: User) -> None:
    password_change(actor=liaison_a, new_password="Weibao-other-1x")
    stored = PasswordHistory.objects.get(user=liaison_a).password
    assert PASSWORD not in stored and stored.startswith("md5$")


def test_the_password_rules_are_checked_by_the_service(liaison_a: User) -> None:
    with pytest.raises(ValidationError) as refused:
        password_change(actor=liaison_a, new_password="short")
    assert "new_password2" in refused.value.error_dict


def test_a_reset_remembers_the_password_it_replaces(admin_a: User, liaison_a: User) -> None:
    temporary = user_reset_password(actor=admin_a, user=liaison_a)
    liaison_a.refresh_from_db()
    for old in (PASSWORD, temporary):
        with pytest.raises(ValidationError):
            password_change(actor=liaison_a, new_password=old)


def test_the_page_says_why(client_for, liaison_a: User) -> None:
    client = client_for(liaison_a)
    data = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    response = client.post("/accounts/password/", data)
    assert response.status_code == 200
    assert "You have used this password recently" in response.content.decode()
    liaison_a.refresh_from_db()
    assert not liaison_a.password_history.exists()


def test_the_page_changes_to_a_fresh_password(client_for, liaison_a: User) -> None:
    client = client_for(liaison_a)
    new = "Weibao-fresh-7x"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post("/accounts/password/", data)
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(new)
    assert client.get("/").status_code == 200  # the session survives its own change
