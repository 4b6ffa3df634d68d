"""API fields shared by the apps' serializers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class BoundedDateTimeField(serializers.DateTimeField):
    """A date and time within the years the platform can mean (2000 to 2099).

    Found by schemathesis: a notice deadline in the year 333 was stored, and came back in the
    local time of that year, with an offset of +08:05:43 (local mean time) that is no valid
    RFC 3339 time and that clients cannot parse.
    """

    first_year = 2000
    last_year = 2099
    default_error_messages = {
        "out_of_range": _("Enter a date and time between the years {first} and {last}."),
    }

    def to_internal_value(self, value: Any) -> datetime:
        result = super().to_internal_value(value)
        if not self.first_year <= result.year <= self.last_year:
            self.fail("out_of_range", first=self.first_year, last=self.last_year)
        return result
