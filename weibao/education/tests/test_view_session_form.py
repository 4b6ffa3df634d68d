"""Recording and editing a session through the page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weibao.education.models import Session

CREATE = reverse("education:session_create")


def post_data(school, topics, **changes):
    data = {
        "school": school.pk,
        "date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "status": "held",
        "audience": "parents",
        "parents_attending": "200",
        "topics": [t.pk for t in topics[:2]],
        "speaker_kind": "volunteer",
        "speaker_name": "志愿者张",
        "hours": "1.5",
        "notice_sent": "on",
        "receipts_returned": "180",
    }
    data.update(changes)
    return data


def test_liaison_records_a_session(client_for, liaison_a, school_a, topics) -> None:
    c = client_for(liaison_a)
    assert c.get(CREATE).status_code == 200
    response = c.post(CREATE, post_data(school_a, topics))
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.receipts_returned == 180 and session.notice_sent


def test_other_school_is_not_a_choice(client_for, liaison_b, school_a, topics) -> None:
    response = client_for(liaison_b).post(CREATE, post_data(school_a, topics))
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_bad_input_names_the_field(client_for, liaison_a, school_a, topics) -> None:
    response = client_for(liaison_a).post(
        CREATE,
        post_data(
            school_a,
            topics,
            audience="pupils",
            pupils_attending="200",
            parents_attending="",
            receipts_returned="",
        ),
    )
    assert response.status_code == 400
    assert "Only sessions for parents record the notice sent home." in response.content.decode()
    assert not Session.objects.exists()


def test_read_only_may_not(client_for, outsider) -> None:
    assert client_for(outsider).get(CREATE).status_code == 403


def test_edit_marks_held(client_for, liaison_a, make_session, topics, school_a) -> None:
    session = make_session(status="planned", attendance=0)
    url = reverse("education:session_edit", args=[session.pk])
    c = client_for(liaison_a)
    assert c.get(url).status_code == 200
    response = c.post(url, post_data(school_a, topics, parents_attending="66"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held" and session.attendance == 66


def test_edit_not_allowed(client_for, liaison_b, outsider, police, make_session) -> None:
    session = make_session()
    url = reverse("education:session_edit", args=[session.pk])
    assert client_for(liaison_b).get(url).status_code == 404  # not visible at all
    assert client_for(police).get(url).status_code == 403  # visible, not theirs
    assert client_for(outsider).get(url).status_code == 404
