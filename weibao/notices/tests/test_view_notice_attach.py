from __future__ import annotations

from django.urls import reverse

from weibao.core.models import Attachment
from weibao.notices.tests.conftest import pdf


def test_attaches_a_file_to_a_draft(client_for, education, make_notice) -> None:
    notice = make_notice()
    response = client_for(education).post(
        reverse("notices:attach", args=[notice.pk]), {"file": pdf("回执模板.pdf")}
    )
    assert response.status_code == 302
    assert list(Attachment.objects.for_owner(notice).values_list("name", flat=True)) == [
        "回执模板.pdf"
    ]


def test_bad_file_is_refused(client_for, education, make_notice) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = make_notice()
    bad = SimpleUploadedFile("x.exe", b"MZ...", content_type="application/octet-stream")
    response = client_for(education).post(
        reverse("notices:attach", args=[notice.pk]), {"file": bad}
    )
    assert response.status_code == 400
    assert response.context["attach_form"].errors["file"]
    assert not Attachment.objects.exists()


def test_not_allowed(client_for, make_notice, liaison_a, education_reader) -> None:
    notice = make_notice()
    url = reverse("notices:attach", args=[notice.pk])
    assert client_for(liaison_a).post(url, {"file": pdf()}).status_code == 404
    assert client_for(education_reader).post(url, {"file": pdf()}).status_code == 403
    assert not Attachment.objects.exists()


def test_recipients_download_the_notices_files(
    client_for, education, make_notice, liaisons, liaison_a, outsider
) -> None:
    from weibao.notices import services

    notice = make_notice()
    attachment = services.notice_attach(actor=education, notice=notice, upload=pdf())
    url = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for(liaison_a).get(url).status_code == 404  # a draft: not yet theirs
    services.notice_send(actor=education, notice=notice)
    assert client_for(liaison_a).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
