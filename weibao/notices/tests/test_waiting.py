from __future__ import annotations

import pytest

from weibao.core import services as core_services
from weibao.notices import services
from weibao.notices.models import NoticeRecipient
from weibao.notices.tests.conftest import past_deadline, pdf
from weibao.notices.waiting import waiting


@pytest.fixture(autouse=True)
def _only_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """The home page's sources, this app's only (other apps' are tested by them)."""
    monkeypatch.setattr(core_services, "waiting_sources", lambda: [waiting])


def test_registered_on_the_home_page() -> None:
    from weibao.core.contract import waiting_sources

    assert waiting_sources().count(waiting) == 1


def _waiting(user) -> dict[str, int]:
    return {item.label: item.count for item in core_services.waiting_for(user)}


def test_liaison_sees_notices_awaiting_reply(sent_notice, liaison_a, liaison_b) -> None:
    assert _waiting(liaison_b)["Notices waiting for your reply"] == 1
    services.notice_reply(
        actor=liaison_b,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_b),
        uploads=[pdf()],
    )
    assert "Notices waiting for your reply" not in _waiting(liaison_b)


def test_sender_sees_notices_with_overdue_replies(sent_notice, education) -> None:
    assert "Notices with overdue replies" not in _waiting(education)
    past_deadline(sent_notice)
    assert _waiting(education)["Notices with overdue replies"] == 1


def test_others_see_nothing(sent_notice, outsider, police) -> None:
    past_deadline(sent_notice)
    for user in (outsider, police):
        assert not any("otice" in label for label in _waiting(user))


def test_home_page_shows_it(client_for, sent_notice, liaison_a) -> None:
    body = client_for(liaison_a).get("/").content.decode()
    assert "Notices waiting for your reply" in body


def test_overdue_replies_are_marked_overdue(sent_notice, education) -> None:
    past_deadline(sent_notice)
    items = {item.label: item for item in waiting(education)}
    assert items["Notices with overdue replies"].overdue
    assert not items["Notices waiting for your reply"].overdue
