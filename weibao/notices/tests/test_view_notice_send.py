from __future__ import annotations

from django.urls import reverse

from weibao.notices.models import Notice


def test_sends(client_for, education, make_notice, liaisons) -> None:
    notice = make_notice()
    response = client_for(education).post(reverse("notices:send", args=[notice.pk]), follow=True)
    assert "The notice was sent to 3 liaisons." in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_no_liaisons_says_so(client_for, education, make_notice) -> None:
    notice = make_notice()
    response = client_for(education).post(reverse("notices:send", args=[notice.pk]), follow=True)
    assert "No active campus liaison" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_get_is_refused(client_for, education, make_notice) -> None:
    notice = make_notice()
    assert client_for(education).get(reverse("notices:send", args=[notice.pk])).status_code == 405


def test_not_allowed(
    client_for, make_notice, liaisons, liaison_a, education_reader, outsider
) -> None:
    notice = make_notice()
    url = reverse("notices:send", args=[notice.pk])
    assert client_for(liaison_a).post(url).status_code == 404
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(education_reader).post(url).status_code == 403
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_robot_posts_are_queued_not_sent_by_the_page(
    client_for, education, make_notice, liaisons, county, django_capture_on_commit_callbacks
) -> None:
    from weibao.core.models import WebhookDelivery

    # An address that would hang the request if the page posted to it itself.
    county.school_b.webhook_url = "http://10.255.255.1/cgi-bin/webhook/send?key=k"
    county.school_b.save()
    notice = make_notice()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(education).post(reverse("notices:send", args=[notice.pk]))
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert delivery.organisation == county.school_b
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 0
