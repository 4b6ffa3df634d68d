from __future__ import annotations

from django.urls import reverse

from weibao.notices.models import Notice


def test_edits_a_draft(client_for, education, make_notice) -> None:
    notice = make_notice()
    url = reverse("notices:edit", args=[notice.pk])
    assert client_for(education).get(url).status_code == 200
    response = client_for(education).post(
        url, {"title": "改过的标题", "requires": "none", "deadline": ""}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "改过的标题" and notice.deadline is None


def test_sent_notice_is_not_edited(client_for, education, sent_notice) -> None:
    url = reverse("notices:edit", args=[sent_notice.pk])
    response = client_for(education).post(url, {"title": "改", "requires": "none"})
    assert response.status_code == 302
    assert Notice.objects.get(pk=sent_notice.pk).title == sent_notice.title


def test_not_allowed(client_for, make_notice, liaison_a, coordinator, education_reader) -> None:
    notice = make_notice()
    url = reverse("notices:edit", args=[notice.pk])
    # A draft is nobody's business outside the sending unit: 404, not 403.
    assert client_for(liaison_a).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 404
    assert client_for(education_reader).get(url).status_code == 403
