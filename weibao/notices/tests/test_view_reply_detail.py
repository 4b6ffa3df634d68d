from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment
from weibao.notices import services
from weibao.notices.models import NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import pdf


@pytest.fixture
def reply_a(sent_notice, liaison_a) -> NoticeReply:
    return services.notice_reply(
        actor=liaison_a,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a),
        text="学校A回执",
        uploads=[pdf("a.pdf")],
    )


def test_sender_opens_a_reply_audited(client_for, education, reply_a) -> None:
    response = client_for(education).get(reverse("notices:reply_detail", args=[reply_a.pk]))
    assert response.status_code == 200
    assert "学校A回执" in response.content.decode()
    assert AuditEvent.objects.filter(action="view", target_id=str(reply_a.pk)).exists()


def test_same_school_deputy_may_open_it(client_for, deputy_a, reply_a) -> None:
    url = reverse("notices:reply_detail", args=[reply_a.pk])
    assert client_for(deputy_a).get(url).status_code == 200


def test_other_school_cannot_open_the_reply_or_its_file(
    client_for, liaison_b, outsider, coordinator, reply_a
) -> None:
    url = reverse("notices:reply_detail", args=[reply_a.pk])
    file = Attachment.objects.for_owner(reply_a).get()
    download = reverse("core:attachment_download", args=[file.pk])
    for user in (liaison_b, outsider, coordinator):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(download).status_code == 404


def test_sender_downloads_the_file(client_for, education, reply_a) -> None:
    file = Attachment.objects.for_owner(reply_a).get()
    response = client_for(education).get(reverse("core:attachment_download", args=[file.pk]))
    assert response.status_code == 200
