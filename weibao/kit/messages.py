"""A message kept as its message id and values, translated when it is read: what a user is told
by the platform (a notification, a warning) reads in each reader's own language, not in the
language of whoever happened to cause it.

    notify(recipients=..., title=Message(gettext_noop("Feedback on your report %(ref)s"),
                                         {"ref": case.reference}))

Mark the id with `gettext_noop` so that makemessages finds it. Values are kept as JSON: numbers
stay numbers (for %(n)d); a lazy translation (a choice's label, `Kind.X.label`) is kept as its
message id and translated with the rest; anything else is kept as its text.

A message with plural forms is made with `plural_message(singular, plural, "n", {"n": 3})`, like
`ngettext`: the form is chosen when it is read, by the value named. The project's
`makemessages` knows `plural_message` as a plural keyword, so the pair lands in the catalogue as
one entry with its forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext

# Where a plural message keeps its plural id and the name of the value that picks the form.
PLURAL, COUNT = "__plural__", "__count__"


def _plain(value: Any) -> str | int | float | dict[str, str]:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    lazy_args = getattr(value, "_args", None) if isinstance(value, Promise) else None
    if lazy_args and all(isinstance(a, str) for a in lazy_args) and len(lazy_args) in (1, 2):
        return {"msgid": lazy_args[-1], "context": lazy_args[0] if len(lazy_args) == 2 else ""}
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def render(msgid: str, args: Mapping[str, Any] | None = None) -> str:
    """The message in the active language; a stored text that is no message id reads as is,
    and a message whose values no longer fit it reads untranslated rather than failing."""
    if not args:
        return gettext(msgid) if msgid else ""
    plural = args.get(PLURAL)
    if isinstance(plural, str) and plural:
        count = args.get(str(args.get(COUNT)))
        text = ngettext(msgid, plural, count if isinstance(count, int) else 0)
    else:
        text = gettext(msgid) if msgid else ""
    values = {key: _read(value) for key, value in args.items() if key not in (PLURAL, COUNT)}
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        try:
            return msgid % values
        except (KeyError, TypeError, ValueError):
            return msgid


def _read(value: Any) -> Any:
    if isinstance(value, Mapping) and "msgid" in value:
        context = value.get("context") or ""
        return pgettext(context, value["msgid"]) if context else gettext(value["msgid"])
    return value


@dataclass(frozen=True)
class Message:
    msgid: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", {k: _plain(v) for k, v in self.args.items()})

    def __str__(self) -> str:
        return render(self.msgid, self.args)


def plural_message(singular: str, plural: str, count: str, args: Mapping[str, Any]) -> Message:
    """A message with plural forms: `args[count]` (a whole number) picks the form when read."""
    return Message(singular, {**args, PLURAL: plural, COUNT: count})


def parts(value: str | Message) -> tuple[str, dict[str, Any]]:
    """(text or message id, values) to store; a plain text has no values."""
    if isinstance(value, Message):
        return value.msgid, dict(value.args)
    return str(value), {}
