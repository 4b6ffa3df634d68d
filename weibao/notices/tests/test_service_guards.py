"""Every user-triggered notices service refuses a wrong actor itself, and writes nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.audit.models import AuditEvent
from weibao.notices import services
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import pdf


def _counts() -> tuple[int, ...]:
    return (
        Notice.objects.count(),
        NoticeRecipient.objects.count(),
        NoticeReply.objects.count(),
        AuditEvent.objects.count(),
        NoticeRecipient.objects.filter(read_at__isnull=False).count(),
    )


def _draft(f: dict[str, Any]) -> Notice:
    return f["make_notice"]()


def _reply(f: dict[str, Any]) -> NoticeReply:
    recipient = NoticeRecipient.objects.get(notice=f["sent_notice"], user=f["liaison_a"])
    return services.notice_reply(actor=f["liaison_a"], recipient=recipient, uploads=[pdf()])


CALLS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "notice_create": lambda actor, f: services.notice_create(actor=actor, data={"title": "t"}),
    "notice_update": lambda actor, f: services.notice_update(
        actor=actor, notice=_draft(f), data={"title": "t"}
    ),
    "notice_attach": lambda actor, f: services.notice_attach(
        actor=actor, notice=_draft(f), upload=pdf()
    ),
    "notice_send": lambda actor, f: services.notice_send(actor=actor, notice=_draft(f)),
    "notice_withdraw": lambda actor, f: services.notice_withdraw(
        actor=actor, notice=f["sent_notice"]
    ),
    "notice_mark_read": lambda actor, f: services.notice_mark_read(
        actor=actor, notice=f["sent_notice"]
    ),
    "notice_reply": lambda actor, f: services.notice_reply(
        actor=actor,
        recipient=NoticeRecipient.objects.get(notice=f["sent_notice"], user=f["liaison_a"]),
        uploads=[pdf()],
    ),
    "reply_view": lambda actor, f: services.reply_view(actor=actor, reply=_reply(f)),
    "notice_remind_overdue": lambda actor, f: services.notice_remind_overdue(
        actor=actor, notice=f["sent_notice"]
    ),
    "notice_export_status": lambda actor, f: services.notice_export_status(
        actor=actor, notice=f["sent_notice"]
    ),
}

# Who each rule excludes: outsiders, read-only users, another unit's sender, a liaison.
WRONG: dict[str, tuple[str, ...]] = {
    "notice_create": ("outsider", "education_reader", "liaison_a", "police"),
    "notice_update": ("outsider", "education_reader", "coordinator", "liaison_a"),
    "notice_attach": ("outsider", "education_reader", "coordinator", "liaison_a"),
    "notice_send": ("outsider", "education_reader", "coordinator", "liaison_a"),
    "notice_withdraw": ("outsider", "education_reader", "coordinator", "liaison_a"),
    "notice_mark_read": ("outsider", "police", "coordinator"),
    "notice_reply": ("outsider", "education", "coordinator", "liaison_b"),
    "reply_view": ("outsider", "police", "liaison_b"),
    "notice_remind_overdue": ("outsider", "education_reader", "coordinator", "liaison_a"),
    "notice_export_status": ("outsider", "coordinator", "liaison_a"),
}

CASES = [(name, who) for name, actors in WRONG.items() for who in actors]


@pytest.mark.parametrize(("service", "who"), CASES)
def test_a_wrong_actor_is_refused_and_nothing_changes(
    service: str, who: str, request: pytest.FixtureRequest, make_notice: Any, sent_notice: Notice
) -> None:
    names = ("education", "liaison_a", "liaison_b", "outsider", "education_reader",
             "coordinator", "police")  # fmt: skip
    f: dict[str, Any] = {name: request.getfixturevalue(name) for name in names}
    f.update(make_notice=make_notice, sent_notice=sent_notice)
    actor = f[who]
    # Build what the call needs first, so only the refused call itself is measured.
    if service in ("notice_update", "notice_attach", "notice_send"):
        draft = _draft(f)
        f["make_notice"] = lambda: draft
    if service == "reply_view":
        reply = _reply(f)
        calls = {"reply_view": lambda a, _f: services.reply_view(actor=a, reply=reply)}
    else:
        calls = CALLS

    before = _counts()
    with pytest.raises(PermissionDenied):
        calls[service](actor, f)
    assert _counts() == before


def test_every_service_taking_an_actor_is_covered() -> None:
    taking_actor = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__
        and "actor" in inspect.signature(function).parameters
        and not name.startswith("_")
    }
    assert taking_actor == set(CALLS) == set(WRONG)
