"""The inbox: list, open one, mark all read; each user sees only their own."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.core.models import Notification


def make(user: User, n: int = 1, **extra: Any) -> list[Notification]:
    return Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"Notice {i}", **extra) for i in range(n)]
    )


def test_lists_own_messages_only(liaison_a: User, liaison_b: User, client_for: Any) -> None:
    Notification.objects.create(recipient=liaison_a, title="For A")
    Notification.objects.create(recipient=liaison_b, title="For B")

    html = client_for(liaison_a).get("/inbox/").content.decode()

    assert "For A" in html
    assert "For B" not in html


def test_list_query_count_does_not_grow(
    liaison_a: User, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(liaison_a)
    make(liaison_a, 2)
    client.get("/inbox/")  # warm caches (content types, session)
    with django_assert_max_num_queries(15) as few:
        client.get("/inbox/")
    make(liaison_a, 23)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/inbox/")
    assert response.content.decode().count("Notice") == 25


def test_htmx_gets_the_table_only(liaison_a: User, client_for: Any) -> None:
    make(liaison_a)
    html = client_for(liaison_a).get("/inbox/", HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in html
    assert "Notice 0" in html


def test_open_marks_read_and_follows_the_link(liaison_a: User, client_for: Any) -> None:
    notification = Notification.objects.create(recipient=liaison_a, title="t", link="/people/")

    response = client_for(liaison_a).post(f"/inbox/{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == "/people/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_leaves_the_site(liaison_a: User, client_for: Any) -> None:
    notification = Notification.objects.create(
        recipient=liaison_a, title="t", link="https://evil.example/"
    )

    response = client_for(liaison_a).post(f"/inbox/{notification.pk}/read/")

    assert response["Location"] == "/inbox/"


def test_cannot_open_another_users_message(
    liaison_a: User, liaison_b: User, client_for: Any
) -> None:
    notification = Notification.objects.create(recipient=liaison_b, title="t")

    response = client_for(liaison_a).post(f"/inbox/{notification.pk}/read/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(liaison_a: User, liaison_b: User, client_for: Any) -> None:
    make(liaison_a, 3)
    make(liaison_b, 2)
    client = client_for(liaison_a)
    assert "Mark all read" in client.get("/inbox/").content.decode()

    response = client.post("/inbox/read-all/", follow=True)

    assert response.redirect_chain == [("/inbox/", 302)]
    assert "3 messages marked read." in response.content.decode()
    assert Notification.objects.for_user(liaison_a).unread().count() == 0
    assert Notification.objects.for_user(liaison_b).unread().count() == 2  # not someone else's
    assert "Mark all read" not in response.content.decode()


def test_mark_all_read_needs_post(liaison_a: User, client_for: Any) -> None:
    make(liaison_a)

    assert client_for(liaison_a).get("/inbox/read-all/").status_code == 405
    assert Notification.objects.unread().count() == 1


def test_inbox_needs_login(client: Any, db: None) -> None:
    assert client.get("/inbox/").status_code == 302
    assert client.post("/inbox/read-all/").status_code == 302
