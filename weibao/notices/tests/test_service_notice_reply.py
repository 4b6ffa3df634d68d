from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment
from weibao.notices import services
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import past_deadline, pdf


def _row(notice: Notice, username: str) -> NoticeRecipient:
    return NoticeRecipient.objects.get(notice=notice, user__username=username)


def _counts(notice: Notice) -> tuple[int, int, int, int]:
    n = Notice.objects.with_counts().get(pk=notice.pk)
    return n.recipient_count, n.read_count, n.replied_count, n.overdue_count


def test_counts_change_as_liaisons_act(sent_notice, liaison_a, liaison_b) -> None:
    assert _counts(sent_notice) == (3, 0, 0, 0)
    services.notice_mark_read(actor=liaison_b, notice=sent_notice)
    assert _counts(sent_notice) == (3, 1, 0, 0)
    services.notice_reply(
        actor=liaison_a, recipient=_row(sent_notice, "liaison_a"), uploads=[pdf()]
    )
    # School A replied: both its liaisons count as replied; liaison_a read it by replying.
    assert _counts(sent_notice) == (3, 2, 2, 0)
    past_deadline(sent_notice)
    assert _counts(sent_notice) == (3, 2, 2, 1)
    assert list(NoticeRecipient.objects.overdue().values_list("user__username", flat=True)) == [
        "liaison_b"
    ]


def test_mark_read_keeps_the_first_time(sent_notice, liaison_a) -> None:
    services.notice_mark_read(actor=liaison_a, notice=sent_notice)
    first = _row(sent_notice, "liaison_a").read_at
    assert services.notice_mark_read(actor=liaison_a, notice=sent_notice) == 0
    assert _row(sent_notice, "liaison_a").read_at == first


def test_file_required(sent_notice, liaison_a) -> None:
    with pytest.raises(ValidationError) as error:
        services.notice_reply(
            actor=liaison_a, recipient=_row(sent_notice, "liaison_a"), text="已开展"
        )
    assert error.value.message_dict["file"] == [
        "This notice asks for a filled-in form: attach the file."
    ]
    assert not NoticeReply.objects.exists()
    assert _row(sent_notice, "liaison_a").replied_at is None


def test_reply_required_needs_text_or_file(make_notice, education, liaisons, liaison_a) -> None:
    notice = make_notice(requires="reply")
    services.notice_send(actor=education, notice=notice)
    with pytest.raises(ValidationError) as error:
        services.notice_reply(actor=liaison_a, recipient=_row(notice, "liaison_a"), text="  ")
    assert "text" in error.value.message_dict
    reply = services.notice_reply(actor=liaison_a, recipient=_row(notice, "liaison_a"), text="收到")
    assert reply.text == "收到" and not reply.is_late


def test_files_are_attached_to_the_reply_and_audited(sent_notice, liaison_a) -> None:
    reply = services.notice_reply(
        actor=liaison_a,
        recipient=_row(sent_notice, "liaison_a"),
        uploads=[pdf("a.pdf"), pdf("b.pdf")],
    )
    assert sorted(Attachment.objects.for_owner(reply).values_list("name", flat=True)) == [
        "a.pdf",
        "b.pdf",
    ]
    assert AuditEvent.objects.filter(action="create", target_id=str(reply.pk)).exists()


def test_a_bad_file_writes_nothing(sent_notice, liaison_a) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("form.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.notice_reply(
            actor=liaison_a, recipient=_row(sent_notice, "liaison_a"), uploads=[fake]
        )
    assert "file" in error.value.message_dict
    assert not NoticeReply.objects.exists()
    assert _row(sent_notice, "liaison_a").replied_at is None


def test_revision_before_the_deadline_keeps_history(sent_notice, liaison_a, deputy_a) -> None:
    first = services.notice_reply(
        actor=liaison_a, recipient=_row(sent_notice, "liaison_a"), uploads=[pdf()]
    )
    replied_at = _row(sent_notice, "liaison_a").replied_at
    second = services.notice_reply(
        actor=deputy_a, recipient=_row(sent_notice, "deputy_a"), uploads=[pdf("v2.pdf")]
    )
    assert NoticeReply.objects.count() == 2 and first.pk != second.pk
    # Replied at is the school's first answer.
    assert _row(sent_notice, "deputy_a").replied_at == replied_at


def test_late_reply_accepted_and_flagged_but_not_revised(sent_notice, liaison_b) -> None:
    past_deadline(sent_notice)
    reply = services.notice_reply(
        actor=liaison_b, recipient=_row(sent_notice, "liaison_b"), uploads=[pdf()]
    )
    assert reply.is_late
    row = _row(sent_notice, "liaison_b")
    assert row.is_late and not row.is_overdue()
    with pytest.raises(ValidationError) as error:
        services.notice_reply(actor=liaison_b, recipient=row, uploads=[pdf()])
    assert "can no longer be changed" in error.value.messages[0]
    assert NoticeReply.objects.count() == 1


def test_only_the_recipient_replies(sent_notice, liaison_b) -> None:
    # Another liaison's row is a write the actor may not make: refused as a permission.
    with pytest.raises(PermissionDenied):
        services.notice_reply(
            actor=liaison_b, recipient=_row(sent_notice, "liaison_a"), uploads=[pdf()]
        )
    assert not NoticeReply.objects.exists()


def test_withdrawn_notice_takes_no_reply(sent_notice, education, liaison_a) -> None:
    services.notice_withdraw(actor=education, notice=sent_notice)
    with pytest.raises(ValidationError):
        services.notice_reply(
            actor=liaison_a, recipient=_row(sent_notice, "liaison_a"), uploads=[pdf()]
        )


def test_no_reply_notice_is_never_overdue(make_notice, education, liaisons, liaison_a) -> None:
    notice = make_notice(requires="none")
    services.notice_send(actor=education, notice=notice)
    past_deadline(notice)
    assert not NoticeRecipient.objects.overdue().exists()
    with pytest.raises(ValidationError) as error:
        services.notice_reply(actor=liaison_a, recipient=_row(notice, "liaison_a"), text="ok")
    assert "text" in error.value.message_dict
