"""A session's page, deleting it, attaching photos; who may not."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weibao.core.models import Attachment
from weibao.education.models import Session

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def test_detail(client_for, liaison_a, make_session) -> None:
    session = make_session(grades="三年级")
    response = client_for(liaison_a).get(session.get_absolute_url())
    assert response.status_code == 200 and "三年级" in response.content.decode()
    assert response.context["can_change"]


def test_detail_hidden(client_for, liaison_b, outsider, make_session) -> None:
    session = make_session()
    assert client_for(liaison_b).get(session.get_absolute_url()).status_code == 404
    assert client_for(outsider).get(session.get_absolute_url()).status_code == 404


def test_attach_and_download(client_for, liaison_a, liaison_b, make_session) -> None:
    session = make_session()
    url = reverse("education:session_attach", args=[session.pk])
    upload = SimpleUploadedFile("签到表.png", PNG, content_type="image/png")
    assert client_for(liaison_a).post(url, {"file": upload}).status_code == 302
    attachment = Attachment.objects.for_owner(session).get()
    download = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for(liaison_a).get(download).status_code == 200
    assert client_for(liaison_b).get(download).status_code in (403, 404)


def test_attach_not_allowed(client_for, police, liaison_b, make_session) -> None:
    session = make_session()
    url = reverse("education:session_attach", args=[session.pk])
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert client_for(police).post(url, {"file": upload}).status_code == 403
    assert client_for(liaison_b).post(url, {"file": upload}).status_code == 404
    assert not Attachment.objects.exists()


def test_delete(client_for, liaison_a, liaison_b, make_session) -> None:
    session = make_session()
    url = reverse("education:session_delete", args=[session.pk])
    assert client_for(liaison_b).post(url).status_code == 404
    assert client_for(liaison_a).get(url).status_code == 405
    assert client_for(liaison_a).post(url).status_code == 302
    assert not Session.objects.exists()
