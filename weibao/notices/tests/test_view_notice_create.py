from __future__ import annotations

from django.urls import reverse

from weibao.notices.models import Notice

URL = reverse("notices:create")


def test_creates_a_draft(client_for, education, county) -> None:
    response = client_for(education).post(
        URL,
        {
            "title": "寒假前最后一堂课安排",
            "body": "请各校安排。",
            "requires": "reply",
            "deadline": "2099-01-10T17:00",
            "townships": [county.township_a.pk],
            "school_kinds": ["primary"],
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert notice.status == Notice.Status.DRAFT
    assert notice.school_kinds == ["primary"]
    assert list(notice.townships.all()) == [county.township_a]


def test_bad_input_names_the_field(client_for, education) -> None:
    response = client_for(education).post(URL, {"title": "t", "requires": "file"})
    assert response.status_code == 400
    assert "needs a deadline" in str(response.context["form"].errors["deadline"])
    assert not Notice.objects.exists()


def test_not_allowed(client_for, liaison_a, police, outsider, education_reader) -> None:
    for user in (liaison_a, police, outsider, education_reader):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, {"title": "t", "requires": "none"}).status_code == 403
    assert not Notice.objects.exists()
