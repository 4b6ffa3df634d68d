"""The case library's pages: list and search, propose with the privacy warning, decide."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from weibao.education.models import TeachingCase
from weibao.people.models import Person

LIST = reverse("education:case_list")
CREATE = reverse("education:case_create")


def form_data(topics, **changes):
    data = {
        "title": "小C沉迷网络游戏",
        "summary": "某镇初一学生小C……",
        "statute": "未成年人保护法",
        "article": "第七十五条",
        "age_group": "junior",
        "topics": [topics[5].pk],
    }
    data.update(changes)
    return data


def test_list_and_search(client_for, outsider, make_case, topics) -> None:
    make_case(title="校园欺凌案")
    make_case(title="溺水事故", topics=topics[2:3])
    make_case(publish=False, title="未发布的案例")
    c = client_for(outsider)
    body = c.get(LIST).content.decode()
    assert "校园欺凌案" in body and "溺水事故" in body and "未发布的案例" not in body
    body = c.get(LIST, {"q": "溺水"}).content.decode()
    assert "溺水事故" in body and "校园欺凌案" not in body
    body = c.get(LIST, {"topic": topics[0].pk, "age_group": "primary"}).content.decode()
    assert "校园欺凌案" in body and "溺水事故" not in body


def test_list_query_count(client_for, liaison_a, make_case, django_assert_max_num_queries):
    c = client_for(liaison_a)
    make_case()
    c.get(LIST)
    with django_assert_max_num_queries(20) as first:
        c.get(LIST)
    for n in range(6):
        make_case(title=f"案例{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        c.get(LIST)


def test_list_not_allowed(client) -> None:
    assert client.get(LIST).status_code == 302


def test_propose(client_for, liaison_a, topics) -> None:
    c = client_for(liaison_a)
    assert c.get(CREATE).status_code == 200
    response = c.post(CREATE, form_data(topics))
    case = TeachingCase.objects.get()
    assert response.status_code == 302 and case.status == TeachingCase.Status.PROPOSED


def test_phone_number_refused(client_for, liaison_a, topics) -> None:
    response = client_for(liaison_a).post(
        CREATE, form_data(topics, summary="家长电话13812345678"), follow=False
    )
    assert response.status_code == 400
    assert "The text contains a phone number." in response.content.decode()
    assert not TeachingCase.objects.exists()


def test_name_warning_then_confirm(client_for, liaison_a, topics, county) -> None:
    Person.objects.create(name="李小红", sex="F", birth_date=date(2012, 1, 1),
                          registered_by=county.school_a)  # fmt: skip
    c = client_for(liaison_a)
    data = form_data(topics, summary="李小红在网吧……")
    response = c.post(CREATE, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "“李小红” looks like a name in the people register" in body
    assert not TeachingCase.objects.exists()
    response = c.post(CREATE, {**data, "confirm": "on"})
    assert response.status_code == 302 and TeachingCase.objects.count() == 1


def test_propose_not_allowed(client_for, outsider) -> None:
    assert client_for(outsider).get(CREATE).status_code == 403


def test_detail_and_decide(client_for, coordinator, liaison_a, liaison_b, make_case) -> None:
    case = make_case(publish=False, actor=liaison_a)
    assert client_for(liaison_a).get(case.get_absolute_url()).status_code == 200
    assert client_for(liaison_b).get(case.get_absolute_url()).status_code == 404
    url = reverse("education:case_decide", args=[case.pk])
    assert client_for(liaison_a).post(url, {"publish": "1"}).status_code == 403
    c = client_for(coordinator)
    assert c.get(case.get_absolute_url()).context["decision_form"] is not None
    assert c.post(url, {"publish": "0"}).status_code == 400  # a rejection needs a reason
    assert c.post(url, {"publish": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.status == TeachingCase.Status.PUBLISHED
    assert client_for(liaison_b).get(case.get_absolute_url()).status_code == 200


def test_edit(client_for, liaison_a, liaison_b, make_case, topics) -> None:
    case = make_case(publish=False, actor=liaison_a)
    url = reverse("education:case_edit", args=[case.pk])
    assert client_for(liaison_b).get(url).status_code == 404
    response = client_for(liaison_a).post(url, form_data(topics, title="改后的标题"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "改后的标题"


def test_attach_not_allowed(client_for, outsider, make_case) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case()
    url = reverse("education:case_attach", args=[case.pk])
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client_for(outsider).post(url, {"file": upload}).status_code == 403
