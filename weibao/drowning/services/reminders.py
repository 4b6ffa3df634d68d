"""The scheduler's reminders before summer and before each holiday: schools to send the letter
to parents, townships to patrol under the plan, assignees to contact the children in their
care. Sent REMINDER_DAYS before the season starts (any day of that window, so a scheduler that
was down still sends), once a season and audience (ReminderSent marks it).

The seasons: summer from settings.DROWNING_SUMMER_START ("07-01"), the holidays the patrol plan
lists and settings.DROWNING_HOLIDAYS (lines as the plan writes them).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, Role, User
from weibao.core.services import notify
from weibao.drowning import seasons
from weibao.drowning.models import Assignment, ParentLetter, PatrolPlan, ReminderSent, Season
from weibao.drowning.plans import parse_holidays
from weibao.kit.messages import Message

REMINDER_DAYS = getattr(settings, "DROWNING_REMINDER_DAYS", 7)
SUMMER_START = getattr(settings, "DROWNING_SUMMER_START", "07-01")
SCHOOL_ROLES = (Role.UNIT_ADMIN, Role.CAMPUS_LIAISON)
SCHOOLS, TOWNSHIPS, ASSIGNEES = "schools", "townships", "assignees"


def holidays() -> list[tuple[date, date]]:
    """The holidays of the patrol plan in force and of the settings (a bad line is skipped
    in the settings, and cannot be saved in the plan)."""
    found: list[tuple[date, date]] = []
    for text in (
        PatrolPlan.current().holidays,
        "\n".join(getattr(settings, "DROWNING_HOLIDAYS", [])),
    ):
        for line in (text or "").splitlines():
            try:
                found.extend(parse_holidays(line))
            except ValueError:
                continue
    return sorted(set(found))


def coming_seasons(today: date | None = None) -> list[seasons.SeasonStart]:
    today = today or timezone.localdate()
    return seasons.coming(today, SUMMER_START, holidays(), REMINDER_DAYS)


def _school_staff(start: seasons.SeasonStart) -> list[User]:
    """Liaisons and administrators of open schools that have no letter for the season."""
    issued = ParentLetter.objects.filter(year=start.year, season=start.season).values(
        "school__organisation_id"
    )
    return list(
        User.objects.filter(
            is_active=True,
            role__in=SCHOOL_ROLES,
            organisation__kind__in=Organisation.SCHOOL_KINDS,
            organisation__school_record__closed_on__isnull=True,
        ).exclude(organisation_id__in=issued)
    )


def _township_staff() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            organisation__kind=Organisation.Kind.TOWNSHIP,
            role__in=(Role.UNIT_ADMIN, Role.CASE_WORKER),
        )
    )


def _assignees(start: seasons.SeasonStart) -> list[User]:
    ids = Assignment.objects.filter(year=start.year, season=start.season).values("assignee_id")
    return list(User.objects.filter(is_active=True, pk__in=ids))


def _send(start: seasons.SeasonStart, audience: str) -> int:
    """One audience's reminder for the season, unless it went already. Returns recipients."""
    if ReminderSent.objects.filter(season_key=start.key, audience=audience).exists():
        return 0
    season = Season(start.season).label  # kept as its message id: read in each language
    when = {"season": season, "date": start.first_day.isoformat()}
    if audience == SCHOOLS:
        recipients = _school_staff(start)
        title = Message(
            gettext_noop("Send the letter to parents before the %(season)s (%(date)s)"), when
        )
        body = Message(
            gettext_noop("Issue the drowning-prevention letter and collect the parents' receipts.")
        )
        link = reverse("drowning:letter_list")
    elif audience == TOWNSHIPS:
        recipients = _township_staff()
        title = Message(
            gettext_noop("Patrols at the peak frequency from %(date)s (%(season)s)"), when
        )
        body = Message(gettext_noop("Check the patrol plan and the waters overdue for a patrol."))
        link = reverse("drowning:patrols_overdue")
    else:
        recipients = _assignees(start)
        title = Message(
            gettext_noop("Contact the children in your care before the %(season)s (%(date)s)"), when
        )
        body = Message(
            gettext_noop(
                "Remind each family of the six don'ts and the four knows, and log the contact."
            )
        )
        link = reverse("drowning:assignment_list") + "?mine=on"
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                season_key=start.key, audience=audience, recipients=len(recipients)
            )
            notify(recipients=recipients, title=title, body=body, link=link,
                   kind=f"drowning_reminder_{audience}")  # fmt: skip
    except IntegrityError:  # another run sent it a moment ago
        return 0
    return len(recipients)


def reminders_send(today: date | None = None) -> int:
    """The scheduler's: send the reminders due for the seasons starting soon (idempotent).
    Returns how many users were told."""
    told = 0
    for start in coming_seasons(today):
        for audience in (SCHOOLS, TOWNSHIPS, ASSIGNEES):
            told += _send(start, audience)
    return told
