"""A message kept as its id and values reads in each reader's language."""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from weibao.kit.messages import Message, parts, plural_message, render


def test_a_message_reads_in_the_active_language() -> None:
    message = Message(gettext_noop("New notice: %(title)s"), {"title": "防溺水"})
    msgid, args = parts(message)
    assert json.loads(json.dumps(args)) == {"title": "防溺水"}
    with translation.override("en"):
        assert render(msgid, args) == "New notice: 防溺水"
    with translation.override("zh-hans"):
        assert render(msgid, args) != "New notice: 防溺水" and "防溺水" in render(msgid, args)


def test_a_label_value_is_translated_with_the_message() -> None:
    message = Message(gettext_noop("New notice: %(title)s"), {"title": gettext_lazy("pending")})
    msgid, args = parts(message)
    assert args["title"] == {"msgid": "pending", "context": ""}
    with translation.override("en"):
        assert render(msgid, args) == "New notice: pending"


def test_values_that_no_longer_fit_read_untranslated_not_failing() -> None:
    assert render("%(n)d days", {"n": "x"}) == "%(n)d days"
    assert render("", {}) == ""
    assert render("纯文本", {}) == "纯文本"


def test_a_plural_message_picks_its_form_when_read() -> None:
    one = plural_message(
        "%(n)d venue's licence has expired", "%(n)d venues' licences have expired", "n", {"n": 1}
    )
    msgid, args = parts(one)
    assert json.loads(json.dumps(args)) == args
    with translation.override("en"):
        assert render(msgid, args) == "1 venue's licence has expired"
        many = plural_message(
            "%(n)d venue's licence has expired",
            "%(n)d venues' licences have expired",
            "n",
            {"n": 3},
        )
        assert str(many) == "3 venues' licences have expired"
    with translation.override("zh-hans"):
        # The catalogue holds the pair as one entry with its Chinese form.
        assert "3" in str(many) and "licence" not in str(many)


def test_a_plural_message_with_a_bad_count_reads_without_failing() -> None:
    broken = plural_message(
        "%(n)d venue's licence has expired", "%(n)d venues' licences have expired", "n", {"n": "x"}
    )
    with translation.override("en"):
        # The message id, as for any value that does not fit.
        assert str(broken) == "%(n)d venue's licence has expired"
