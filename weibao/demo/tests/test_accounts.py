"""The demo accounts: one per role, and each signs in with the password the commands print."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import Organisation, Role, User
from weibao.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, accounts_table


def test_every_role_has_a_demo_account() -> None:
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    assert len({a.username for a in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)
    for username in ("coordinator", "sysadmin", "auditor", "liaison_a", "liaison_b", "police"):
        assert username in {a.username for a in DEMO_ACCOUNTS}


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_password_meets_the_policy(account: DemoAccount) -> None:
    validate_password(account.password, User(username=account.username))


def test_table_names_every_account_and_the_otp_rule() -> None:
    text = "\n".join(accounts_table("en"))
    for account in DEMO_ACCOUNTS:
        assert account.username in text
        assert account.description_en in text
    assert DEMO_PASSWORD in text
    assert "sysadmin, auditor" in text and "TOTP" in text
    assert DEMO_ACCOUNTS[0].description_zh in "\n".join(accounts_table("zh-hans"))


def test_seeded_users_have_their_units_and_roles(seed_output: str) -> None:
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.organisation.name == account.unit
        assert user.full_name == account.full_name
        assert user.check_password(account.password)
        assert not user.password_expired
    school_a = Organisation.objects.get(name="鳌溪镇中心小学")
    assert school_a.kind == Organisation.Kind.SCHOOL_PRIMARY


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_account_signs_in_with_the_printed_password(
    seed_output: str, account: DemoAccount
) -> None:
    assert account.username in seed_output
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": account.username, "password": account.password},
    )
    assert response.status_code == 302, response.content[:500]
    assert int(client.session["_auth_user_id"]) == User.objects.get(username=account.username).pk
    home = client.get("/")
    if account.needs_otp:
        # Administrators and auditors are sent to enrol a one-time-code app first.
        assert home.status_code == 302
        assert reverse("accounts:otp_setup") in home["Location"]
    else:
        assert home.status_code == 200


def test_wrong_password_is_refused(seed_output: str) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "liaison_a", "password": "Weibao@2025"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
