"""Notices fixtures: school records for schools A and B, their liaisons appointed, a sender."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weibao.accounts.models import Role, User
from weibao.notices import services
from weibao.notices.models import Notice
from weibao.schools.models import LiaisonAppointment, School
from weibao.testing import County, make_user

PDF = b"%PDF-1.4\n% a tiny test file\n"


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


def pdf(name: str = "回执.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def education(county: County) -> User:
    """A case worker at the education bureau: the usual sender."""
    return make_user("education", county.education, Role.CASE_WORKER, full_name="胡斌")


@pytest.fixture
def education_reader(county: County) -> User:
    """A read-only user at the education bureau: sees the bureau's notices, sends nothing."""
    return make_user("education_ro", county.education, Role.READ_ONLY)


@pytest.fixture
def school_a_record(county: County) -> School:
    return School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)


@pytest.fixture
def school_b_record(county: County) -> School:
    return School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)


@pytest.fixture
def deputy_a(county: County) -> User:
    return make_user("deputy_a", county.school_a, Role.CAMPUS_LIAISON)


@pytest.fixture
def liaisons(
    school_a_record: School,
    school_b_record: School,
    liaison_a: User,
    liaison_b: User,
    deputy_a: User,
) -> list[LiaisonAppointment]:
    """School A: a main and a deputy liaison; school B: a main liaison."""
    return [
        LiaisonAppointment.objects.create(school=school_a_record, user=liaison_a),
        LiaisonAppointment.objects.create(
            school=school_a_record, user=deputy_a, position=LiaisonAppointment.Position.DEPUTY
        ),
        LiaisonAppointment.objects.create(school=school_b_record, user=liaison_b),
    ]


@pytest.fixture
def make_notice(education: User) -> Callable[..., Notice]:
    """make_notice(**fields) -> a draft from the education bureau (through the service)."""

    def make(actor: User | None = None, **fields: Any) -> Notice:
        data: dict[str, Any] = {
            "title": "关于开展防溺水安全教育的通知",
            "body": "请各校开展防溺水安全教育并报送回执。",
            "requires": Notice.Requires.FILE,
            "deadline": timezone.now() + timedelta(days=7),
        }
        data.update(fields)
        return services.notice_create(actor=actor or education, data=data)

    return make


@pytest.fixture
def sent_notice(
    make_notice: Callable[..., Notice], education: User, liaisons: list[LiaisonAppointment]
) -> Notice:
    """A notice to all liaisons asking for a file, due in a week, sent."""
    notice = make_notice()
    services.notice_send(actor=education, notice=notice)
    notice.refresh_from_db()
    return notice


def past_deadline(notice: Notice, days: int = 1) -> Notice:
    """Move the deadline into the past (as if the time had gone by)."""
    Notice.objects.filter(pk=notice.pk).update(deadline=timezone.now() - timedelta(days=days))
    notice.refresh_from_db()
    return notice
