from __future__ import annotations

from django.urls import reverse

from weibao.notices import services
from weibao.notices.models import NoticeRecipient
from weibao.notices.tests.conftest import past_deadline, pdf


def _url(notice) -> str:
    return reverse("notices:detail", args=[notice.pk])


def test_sender_sees_counts_that_change(client_for, education, sent_notice, liaison_a) -> None:
    client = client_for(education)
    assert client.get(_url(sent_notice)).context["counts"] == {
        "recipients": 3,
        "read": 0,
        "replied": 0,
        "overdue": 0,
    }
    services.notice_reply(
        actor=liaison_a,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a),
        uploads=[pdf()],
    )
    past_deadline(sent_notice)
    response = client.get(_url(sent_notice))
    assert response.context["counts"] == {"recipients": 3, "read": 1, "replied": 2, "overdue": 1}
    body = response.content.decode()
    assert "公溪镇中学" in body and "overdue" in body
    assert "Remind the 1 overdue liaison" in body


def test_sender_opening_does_not_mark_read(client_for, education, sent_notice) -> None:
    client_for(education).get(_url(sent_notice))
    assert not NoticeRecipient.objects.filter(read_at__isnull=False).exists()


def test_liaison_opening_marks_read(client_for, liaison_a, sent_notice) -> None:
    response = client_for(liaison_a).get(_url(sent_notice))
    assert response.status_code == 200
    assert "counts" not in response.context  # not the sender's table
    assert response.context["form"] is not None
    read = NoticeRecipient.objects.filter(read_at__isnull=False)
    assert list(read.values_list("user__username", flat=True)) == ["liaison_a"]


def test_deputy_sees_the_schools_reply_not_other_schools(
    client_for, sent_notice, liaison_a, liaison_b, deputy_a
) -> None:
    services.notice_reply(
        actor=liaison_b,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_b),
        text="公溪镇中学的回执",
        uploads=[pdf("b.pdf")],
    )
    services.notice_reply(
        actor=liaison_a,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a),
        text="鳌溪镇中心小学的回执",
        uploads=[pdf("a.pdf")],
    )
    body = client_for(deputy_a).get(_url(sent_notice)).content.decode()
    assert "鳌溪镇中心小学的回执" in body and "a.pdf" in body
    assert "公溪镇中学的回执" not in body and "b.pdf" not in body


def test_draft_is_not_shown_to_liaisons(client_for, make_notice, liaisons, liaison_a) -> None:
    notice = make_notice()
    assert client_for(liaison_a).get(_url(notice)).status_code == 404


def test_not_allowed(client_for, sent_notice, outsider, police, coordinator, sysadmin) -> None:
    for user in (outsider, police, coordinator, sysadmin):
        assert client_for(user).get(_url(sent_notice)).status_code == 404


def test_liaison_not_addressed_gets_404(
    client_for, make_notice, education, liaisons, liaison_b, county
) -> None:
    notice = make_notice(townships=[county.township_a])
    services.notice_send(actor=education, notice=notice)
    assert client_for(liaison_b).get(_url(notice)).status_code == 404


def test_status_table_query_count_does_not_grow(
    client_for, education, make_notice, liaisons, county, django_assert_max_num_queries
) -> None:
    from weibao.schools.models import LiaisonAppointment, School
    from weibao.testing import make_user

    client = client_for(education)
    notice = make_notice()
    services.notice_send(actor=education, notice=notice)
    with django_assert_max_num_queries(30) as few:
        client.get(_url(notice))
    for n in range(5):
        unit = county.school_b.__class__.objects.create(
            name=f"学校{n}",
            kind="school_primary",
            division=county.village_a,
            parent=county.education,
        )
        school = School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
        user = make_user(f"liaison{n}", unit, "campus_liaison")
        LiaisonAppointment.objects.create(school=school, user=user)
    bigger = make_notice()
    services.notice_send(actor=education, notice=bigger)
    for row in bigger.recipients.all()[:4]:
        services.notice_mark_read(actor=row.user, notice=bigger)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url(bigger))
    assert response.context["counts"]["recipients"] == 8
