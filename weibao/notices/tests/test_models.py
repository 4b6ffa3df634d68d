from __future__ import annotations

from weibao.notices import services
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import pdf


def _usernames(rows) -> set[str]:
    return set(rows.values_list("user__username", flat=True))


def test_for_user_scopes(
    sent_notice, education, education_reader, coordinator, liaison_a, deputy_a, liaison_b, outsider,
    police, sysadmin, auditor,
) -> None:  # fmt: skip
    reply = services.notice_reply(
        actor=liaison_a,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a),
        uploads=[pdf()],
    )
    for user in (education, education_reader, liaison_a, deputy_a, liaison_b):
        assert list(Notice.objects.for_user(user)) == [sent_notice]
    for user in (coordinator, outsider, police, sysadmin, auditor):
        assert not Notice.objects.for_user(user).exists()
        assert not NoticeRecipient.objects.for_user(user).exists()
        assert not NoticeReply.objects.for_user(user).exists()
    assert _usernames(NoticeRecipient.objects.for_user(education)) == {
        "liaison_a",
        "deputy_a",
        "liaison_b",
    }
    # A liaison sees their own school's rows (main and deputy), never another school's.
    assert _usernames(NoticeRecipient.objects.for_user(deputy_a)) == {"liaison_a", "deputy_a"}
    assert _usernames(NoticeRecipient.objects.for_user(liaison_b)) == {"liaison_b"}
    assert list(NoticeReply.objects.for_user(deputy_a)) == [reply]
    assert list(NoticeReply.objects.for_user(education)) == [reply]
    assert not NoticeReply.objects.for_user(liaison_b).exists()


def test_drafts_are_the_sending_units_only(make_notice, education, liaison_a, coordinator) -> None:
    draft = make_notice()
    assert list(Notice.objects.for_user(education)) == [draft]
    assert not Notice.objects.for_user(liaison_a).exists()
    assert not Notice.objects.for_user(coordinator).exists()
