from __future__ import annotations

from django.urls import reverse

from weibao.notices.models import Notice


def test_withdraws(client_for, education, sent_notice) -> None:
    client_for(education).post(reverse("notices:withdraw", args=[sent_notice.pk]))
    sent_notice.refresh_from_db()
    assert sent_notice.status == Notice.Status.WITHDRAWN


def test_not_allowed(client_for, sent_notice, liaison_a, education_reader) -> None:
    url = reverse("notices:withdraw", args=[sent_notice.pk])
    assert client_for(liaison_a).post(url).status_code == 403  # addressed to them, not theirs
    assert client_for(education_reader).post(url).status_code == 403
    sent_notice.refresh_from_db()
    assert sent_notice.status == Notice.Status.SENT
