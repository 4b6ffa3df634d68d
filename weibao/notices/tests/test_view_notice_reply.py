from __future__ import annotations

from django.urls import reverse

from weibao.core.models import Attachment
from weibao.notices.models import NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import past_deadline, pdf


def _url(notice) -> str:
    return reverse("notices:reply", args=[notice.pk])


def test_uploads_the_form(client_for, liaison_a, sent_notice) -> None:
    response = client_for(liaison_a).post(
        _url(sent_notice), {"text": "已开展", "file": [pdf("a.pdf"), pdf("b.pdf")]}
    )
    assert response.status_code == 302
    reply = NoticeReply.objects.get()
    assert reply.text == "已开展"
    assert Attachment.objects.for_owner(reply).count() == 2
    assert NoticeRecipient.objects.filter(replied_at__isnull=False).count() == 2  # main + deputy


def test_file_required_message(client_for, liaison_a, sent_notice) -> None:
    response = client_for(liaison_a).post(_url(sent_notice), {"text": "已开展"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "This notice asks for a filled-in form: attach the file."
    ]
    assert not NoticeReply.objects.exists()


def test_late_reply_is_flagged(client_for, liaison_b, sent_notice) -> None:
    past_deadline(sent_notice)
    response = client_for(liaison_b).post(_url(sent_notice), {"file": pdf()}, follow=True)
    assert "Your reply was sent after the deadline." in response.content.decode()
    assert NoticeReply.objects.get().is_late


def test_not_allowed(client_for, sent_notice, education, outsider, make_notice, county) -> None:
    assert client_for(education).post(_url(sent_notice), {"file": pdf()}).status_code == 403
    assert client_for(outsider).post(_url(sent_notice), {"file": pdf()}).status_code == 404
    assert not NoticeReply.objects.exists()


def test_liaison_cannot_reply_to_a_notice_not_sent_to_them(
    client_for, make_notice, education, liaisons, liaison_b, county
) -> None:
    from weibao.notices import services

    notice = make_notice(townships=[county.township_a])
    services.notice_send(actor=education, notice=notice)
    assert client_for(liaison_b).post(_url(notice), {"file": pdf()}).status_code == 404
    assert not NoticeReply.objects.exists()
