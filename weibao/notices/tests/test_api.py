from __future__ import annotations

from django.urls import reverse

from weibao.api.tests.conftest import post_json, token_client
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.notices.tests.conftest import past_deadline, pdf

LIST = reverse("api:notice-list")


def _detail(notice, suffix: str = "") -> str:
    name = f"api:notice-{suffix}" if suffix else "api:notice-detail"
    return reverse(name, args=[notice.pk])


def test_sender_creates_and_sends(education, liaisons) -> None:
    client = token_client(education)
    response = post_json(
        client,
        LIST,
        {"title": "通知", "requires": "reply", "deadline": "2099-01-01T09:00:00+08:00"},
    )
    assert response.status_code == 201, response.json()
    notice = Notice.objects.get(pk=response.json()["id"])
    response = post_json(client, _detail(notice, "send"))
    assert response.json() == {"recipients": 3}


def test_bad_input_names_the_field(education) -> None:
    response = post_json(token_client(education), LIST, {"title": "t", "requires": "file"})
    assert response.status_code == 400
    assert "deadline" in response.json()
    assert not Notice.objects.exists()


def test_list_is_scoped(sent_notice, education, liaison_a, outsider, police) -> None:
    sender_rows = token_client(education).get(LIST).json()["results"]
    assert sender_rows[0]["counts"] == {"recipients": 3, "read": 0, "replied": 0, "overdue": 0}
    liaison_rows = token_client(liaison_a).get(LIST).json()["results"]
    assert [row["id"] for row in liaison_rows] == [sent_notice.pk]
    assert liaison_rows[0]["counts"] is None  # other schools' states are not theirs to see
    for user in (outsider, police):
        assert token_client(user).get(LIST).json()["results"] == []


def test_retrieve_marks_read_for_a_recipient(sent_notice, liaison_a) -> None:
    response = token_client(liaison_a).get(_detail(sent_notice))
    assert response.status_code == 200
    assert response.json()["mine"]["read_at"] is not None
    assert NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a).read_at is not None


def test_reply_with_a_file(sent_notice, liaison_a) -> None:
    response = token_client(liaison_a).post(
        _detail(sent_notice, "reply"), {"text": "已完成", "file": [pdf()]}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["files"][0]["name"] == "回执.pdf"


def test_reply_without_the_required_file(sent_notice, liaison_a) -> None:
    response = token_client(liaison_a).post(_detail(sent_notice, "reply"), {"text": "已完成"})
    assert response.status_code == 400
    assert "file" in response.json()
    assert not NoticeReply.objects.exists()


def test_recipients_status(sent_notice, education) -> None:
    past_deadline(sent_notice)
    rows = token_client(education).get(_detail(sent_notice, "recipients")).json()
    assert len(rows) == 3 and all(row["overdue"] for row in rows)
    assert post_json(token_client(education), _detail(sent_notice, "remind")).json() == {
        "reminded": 3
    }


def test_liaison_cannot_read_another_schools_reply(sent_notice, liaison_a, liaison_b) -> None:
    token_client(liaison_a).post(_detail(sent_notice, "reply"), {"file": [pdf()]})
    assert token_client(liaison_b).get(_detail(sent_notice, "reply")).json() == []
    assert len(token_client(liaison_a).get(_detail(sent_notice, "reply")).json()) == 1


def test_not_allowed(sent_notice, liaison_a, outsider, education_reader) -> None:
    assert token_client(outsider).get(_detail(sent_notice)).status_code == 404
    assert post_json(token_client(outsider), _detail(sent_notice, "reply")).status_code == 404
    assert token_client(liaison_a).get(_detail(sent_notice, "recipients")).status_code == 403
    assert post_json(token_client(liaison_a), _detail(sent_notice, "remind")).status_code == 403
    assert post_json(token_client(liaison_a), LIST, {"title": "t"}).status_code == 403
    assert post_json(token_client(education_reader), LIST, {"title": "t"}).status_code == 403
    # The sender does not reply to their own notice.
    response = token_client(education_reader).post(_detail(sent_notice, "reply"), {"file": [pdf()]})
    assert response.status_code == 403
    assert Notice.objects.count() == 1 and not NoticeReply.objects.exists()
