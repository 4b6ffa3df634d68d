"""Photos on a patrol: JPEG and PNG only, each within the limit, kept as the patrol's
attachments (readable by who reads the patrol); a bad photo writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from weibao.core.models import Attachment
from weibao.drowning import services
from weibao.drowning.models import Patrol
from weibao.drowning.services import patrols

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
GIF = b"GIF89a" + b"0" * 100


def _data(*photos):
    return {"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张",
            "sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok",
            "people_in_water": 0, "photos": list(photos)}  # fmt: skip


def test_photos_kept_on_the_patrol(water, township_worker, client_for, liaison_a) -> None:
    patrol = services.patrol_record(
        actor=township_worker,
        water=water,
        data=_data(SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.png", PNG)),
    )
    photos = Attachment.objects.for_owner(patrol)
    assert sorted(photos.values_list("name", flat=True)) == ["a.jpg", "b.png"]
    page = client_for(liaison_a).get(reverse("drowning:water_detail", args=[water.pk]))
    assert b"a.jpg" in page.content
    photo = photos.get(name="a.jpg")
    assert client_for(liaison_a).get(photo.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("c.gif", GIF), "only JPEG or PNG"),
        (SimpleUploadedFile("d.jpg", GIF), "content"),
        (SimpleUploadedFile("e.jpg", b"\xff\xd8\xff" + b"0" * 2000), "too large"),
    ],
)
def test_bad_photo_refused(water, township_worker, settings, monkeypatch, upload, message) -> None:
    monkeypatch.setattr(patrols, "PHOTO_MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as caught:
        services.patrol_record(actor=township_worker, water=water, data=_data(upload))
    assert message in " ".join(caught.value.message_dict["photos"])
    assert not Patrol.objects.exists() and not Attachment.objects.exists()


def test_too_many_photos(water, township_worker) -> None:
    uploads = [SimpleUploadedFile(f"{i}.jpg", JPEG) for i in range(patrols.MAX_PHOTOS + 1)]
    with pytest.raises(ValidationError):
        services.patrol_record(actor=township_worker, water=water, data=_data(*uploads))
    assert not Patrol.objects.exists()


def test_patrol_form_uploads(water, village_clerk, client_for) -> None:
    data = {
        "patrolled_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "patroller": "张", "sign_state": "ok", "pole_state": "ok", "rope_state": "ok",
        "ring_state": "ok", "people_in_water": 0,
        "photos": [SimpleUploadedFile("x.jpg", JPEG), SimpleUploadedFile("y.jpg", JPEG)],
    }  # fmt: skip
    response = client_for(village_clerk).post(
        reverse("drowning:patrol_create", args=[water.pk]), data
    )
    assert response.status_code == 302, response.content[:500]
    assert Attachment.objects.for_owner(Patrol.objects.get()).count() == 2
    data["photos"] = [SimpleUploadedFile("z.gif", GIF)]
    response = client_for(village_clerk).post(
        reverse("drowning:patrol_create", args=[water.pk]), data
    )
    assert response.status_code == 400 and b"only JPEG or PNG" in response.content
