"""A school reports a concern about a venue inside its circle; the supervising unit sees it
waiting, closes it with what it did, and the school is told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.core.models import Notification
from weibao.venues import services
from weibao.venues.models import Concern


def test_raise_and_close(cafe, liaison_a, culture) -> None:
    concern = services.concern_raise(actor=liaison_a, venue=cafe, text="放学时段常有学生进出网吧")
    assert concern.school.organisation == liaison_a.organisation
    assert Notification.objects.filter(recipient=culture, kind="venues_concern").exists()
    assert list(Concern.objects.for_user(culture)) == [concern]
    services.concern_close(actor=culture, concern=concern, reply="已现场检查并责令整改")
    concern.refresh_from_db()
    assert concern.closed_at is not None and concern.closed_by == culture
    assert Notification.objects.filter(recipient=liaison_a, kind="venues_concern_closed").exists()
    with pytest.raises(ValidationError):
        services.concern_close(actor=culture, concern=concern, reply="再次关闭")


def test_too_short_and_out_of_circle(cafe, far_shop, liaison_a, liaison_b, market) -> None:
    with pytest.raises(ValidationError) as caught:
        services.concern_raise(actor=liaison_a, venue=cafe, text="有")
    assert "at least" in caught.value.message_dict["text"][0]
    with pytest.raises(PermissionDenied):
        services.concern_raise(actor=liaison_a, venue=far_shop, text="门口卖刀具")
    with pytest.raises(PermissionDenied):
        services.concern_raise(actor=liaison_b, venue=cafe, text="有学生进出")
    concern = services.concern_raise(actor=liaison_a, venue=cafe, text="有学生进出")
    with pytest.raises(PermissionDenied):  # not its kind of venue
        services.concern_close(actor=market, concern=concern, reply="已处理完毕")
