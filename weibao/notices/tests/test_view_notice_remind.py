from __future__ import annotations

from django.urls import reverse

from weibao.notices.models import NoticeRecipient
from weibao.notices.tests.conftest import past_deadline


def test_reminds_the_overdue(client_for, education, sent_notice) -> None:
    past_deadline(sent_notice)
    response = client_for(education).post(
        reverse("notices:remind", args=[sent_notice.pk]), follow=True
    )
    assert "3 overdue liaisons were reminded." in response.content.decode()
    assert set(NoticeRecipient.objects.values_list("reminder_count", flat=True)) == {1}


def test_nobody_overdue(client_for, education, sent_notice) -> None:
    response = client_for(education).post(
        reverse("notices:remind", args=[sent_notice.pk]), follow=True
    )
    assert "No one is overdue." in response.content.decode()


def test_not_allowed(client_for, sent_notice, liaison_a, liaison_b, outsider) -> None:
    past_deadline(sent_notice)
    url = reverse("notices:remind", args=[sent_notice.pk])
    assert client_for(liaison_a).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 404
    assert set(NoticeRecipient.objects.values_list("reminder_count", flat=True)) == {0}
