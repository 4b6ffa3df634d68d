from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.notices import services
from weibao.notices.models import Notice


def test_creates_a_draft_from_the_actors_unit(education, county) -> None:
    notice = services.notice_create(
        actor=education,
        data={
            "title": " 寒假安排 ",
            "body": "…",
            "requires": "none",
            "townships": [county.township_a],
        },
    )
    assert notice.status == Notice.Status.DRAFT
    assert notice.sender_unit == county.education
    assert notice.title == "寒假安排"
    assert list(notice.townships.all()) == [county.township_a]
    assert AuditEvent.objects.filter(action="create", target_id=str(notice.pk)).exists()


def test_reply_required_needs_a_deadline(education) -> None:
    with pytest.raises(ValidationError) as error:
        services.notice_create(actor=education, data={"title": "t", "requires": "file"})
    assert "deadline" in error.value.message_dict
    assert not Notice.objects.exists()


def test_unknown_school_kind_names_the_field(education) -> None:
    with pytest.raises(ValidationError) as error:
        services.notice_create(actor=education, data={"title": "t", "school_kinds": ["zoo"]})
    assert "Unknown school kinds: zoo." in error.value.message_dict["school_kinds"]


def test_a_village_is_not_a_township(education, county) -> None:
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=education, data={"title": "t", "townships": [county.village_a]}
        )
    assert "townships" in error.value.message_dict


def test_only_the_sender_side_creates(liaison_a, police, coordinator) -> None:
    for actor in (liaison_a, police):
        with pytest.raises(PermissionDenied):
            services.notice_create(actor=actor, data={"title": "t"})
    assert services.notice_create(actor=coordinator, data={"title": "t"}).pk


def test_update_changes_a_draft_only(make_notice, education, liaisons) -> None:
    notice = make_notice(requires="none", deadline=None)
    services.notice_update(actor=education, notice=notice, data={"title": "新标题"})
    assert Notice.objects.get(pk=notice.pk).title == "新标题"
    event = AuditEvent.objects.filter(action="update", target_id=str(notice.pk)).last()
    assert event is not None and event.detail["changes"]["title"][1] == "新标题"
    services.notice_send(actor=education, notice=notice)
    notice.refresh_from_db()
    with pytest.raises(ValidationError):
        services.notice_update(actor=education, notice=notice, data={"title": "改"})
    assert Notice.objects.get(pk=notice.pk).title == "新标题"


def test_deadline_in_the_past_cannot_be_sent(make_notice, education, liaisons) -> None:
    notice = make_notice(deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        services.notice_send(actor=education, notice=notice)
    assert "deadline" in error.value.message_dict
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT and not notice.recipients.exists()
