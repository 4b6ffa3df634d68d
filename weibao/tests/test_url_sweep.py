"""The URL sweep: every URL pattern of the project, pages and API, requested with GET and POST by
an anonymous visitor, an outsider (the hotel clerk) and school B's liaison, in a world where only
school A has records (its pupil 张小明, and something about him in every app).

- anonymous: a redirect to the login page (pages), 401/403 (API), a 405 for a method the view
  does not take; anything but a 500 only on the short PUBLIC list;
- the outsider and school B's liaison: every URL that names an object (filled with a real object
  of school A wherever the argument maps to one, with a key that does not exist otherwise) must be
  refused (403/404/405, or a redirect to a login page); list pages may open, but no answer to
  anyone may contain 张小明 (downloads are unzipped to look inside xlsx/docx files).

The sweep runs once per module (one probe per savepoint, rolled back); each (user, method, URL)
is a test case that reads its outcome, so a leak is reported, and can be marked, case by case.
`test_sweep_catches_unguarded_views` proves the sweep fails on a new view without a guard.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.authtoken.models import Token

from weibao.accounts.http import AuthedRequest
from weibao.lib.masking import mask_name
from weibao.people.models import Person
from weibao.tests.sweep_world import CHILD_NAME, SHARED, World, build_world, probe_atomic

# The sweep's world lives in a module-wide transaction (see `world`); each test also gets
# pytest-django's own (a savepoint inside it), which is what makes the test database set up.
pytestmark = pytest.mark.django_db

ANONYMOUS, OUTSIDER, OTHER_SCHOOL = "anonymous", "outsider", "liaison_b"
USERS = (ANONYMOUS, OUTSIDER, OTHER_SCHOOL)
METHODS = ("GET", "POST")

# URLs anyone may open (any answer but a 500), by URL name.
PUBLIC = frozenset(
    {
        "accounts:login",
        "core:health",
        "favicon",
        "set_language",
        "api:token",
        "admin:login",
        "admin:logout",  # signs nobody out, then sends to the admin's login
    }
)
# API URLs that are pages (a browser's), so a visitor is sent to the login page.
API_PAGES = frozenset({"api:docs"})

# URL name -> {argument: world object key}. An argument not listed gets a key that does not
# exist; an admin URL's object_id maps by the model its name names.
ARGS: dict[str, dict[str, str]] = {
    "core:notification_read": {"pk": "notification"},
    "core:attachment_download": {"pk": "notice_attachment"},
    "core:job_detail": {"pk": "job"},
    **{f"accounts:{n}": {"pk": "unit_a"} for n in ("unit_detail", "unit_edit")},
    **{
        f"accounts:{n}": {"pk": "user_a"}
        for n in ("user_detail", "user_edit", "user_reset_password", "user_deactivate")
    },
    **{
        f"people:{n}": {"pk": "person"}
        for n in ("detail", "edit", "reveal", "guardian_add", "left_behind")
    },
    **{f"schools:{n}": {"pk": "school_a"} for n in ("detail", "edit", "close", "liaison_appoint")},
    "schools:liaison_end": {"pk": "liaison"},
    **{
        f"notices:{n}": {"pk": "notice"}
        for n in ("detail", "edit", "attach", "send", "withdraw", "remind", "export", "reply")
    },
    "notices:reply_detail": {"pk": "reply"},
    **{
        f"legalvp:{n}": {"pk": "appointment"}
        for n in ("detail", "renew", "end", "letter", "letter_print", "duty_add", "evaluate")
    },
    "legalvp:duty_edit": {"pk": "duty"},
    "legalvp:duty_delete": {"pk": "duty"},
    **{
        f"staffchecks:{n}": {"unit_id": "unit_a"}
        for n in ("roster", "roster_template", "roster_upload", "staff_add", "batch_create")
    },
    "staffchecks:staff_left": {"pk": "staff"},
    **{
        f"staffchecks:{n}": {"pk": "roster_upload"}
        for n in ("upload_detail", "upload_import", "upload_errors")
    },
    **{
        f"staffchecks:{n}": {"pk": "batch"}
        for n in ("batch_detail", "batch_run", "batch_letter", "batch_print", "batch_national")
    },
    **{f"staffchecks:{n}": {"pk": "item"} for n in ("item_action", "item_letter", "match_confirm")},
    "atrisk:warning_resolve": {"pk": "warning"},
    "atrisk:sealed_decide": {"pk": "sealed_application"},
    **{f"atrisk:{n}": {"pk": "event"} for n in ("event_share", "event_seal", "event_unseal")},
    "atrisk:measure_seal": {"pk": "measure"},
    "atrisk:measure_unseal": {"pk": "measure"},
    **{
        f"atrisk:{n}": {"pk": "atrisk_file"}
        for n in (
            "detail",
            "measure_add",
            "factor_add",
            "contact_add",
            "plan_edit",
            "review_add",
            "assign",
            "refer",
            "close",
            "sealed_apply",
            "reveal",
        )
    },
    "atrisk:factor_end": {"pk": "atrisk_file", "factor_pk": "factor"},
    "atrisk:action_form": {"pk": "atrisk_file", "name": "=sealed"},
    **{
        f"education:{n}": {"pk": "session"}
        for n in ("session_detail", "session_edit", "session_delete", "session_attach")
    },
    "education:term_edit": {"pk": "term"},
    "education:rule_set": {"pk": "term"},
    "education:topic_edit": {"pk": "topic"},
    **{
        f"education:{n}": {"pk": "teaching_case"}
        for n in ("case_detail", "case_edit", "case_decide", "case_attach")
    },
    **{
        f"casework:{n}": {"pk": "case"}
        for n in (
            "case_detail",
            "case_accept",
            "case_decide",
            "case_feedback",
            "case_late_report",
            "case_supervise",
            "case_refer",
        )
    },
    "casework:atrisk_refer": {"file_pk": "atrisk_file"},
    **{
        f"casework:{n}": {"pk": "referral"}
        for n in (
            "referral_detail",
            "referral_accept",
            "referral_decline",
            "referral_close",
            "referral_supervise",
        )
    },
    "casework:supervision_close": {"pk": "supervision"},
    **{
        f"casework:{n}": {"pk": "suggestion"}
        for n in (
            "suggestion_detail",
            "suggestion_reply",
            "suggestion_assess",
            "suggestion_docx",
            "suggestion_print",
        )
    },
    **{f"casework:{n}": {"pk": "order"} for n in ("order_detail", "order_docx", "order_print")},
    "casework:followup": {"pk": "order", "followup_pk": "followup"},
    **{f"drowning:{n}": {"pk": "water"} for n in ("water_detail", "water_edit")},
    **{f"drowning:{n}": {"water_pk": "water"} for n in ("patrol_create", "custodian_create")},
    "drowning:custodian_edit": {"pk": "custodian"},
    "drowning:rectification_close": {"pk": "rectification"},
    "drowning:incident_detail": {"pk": "incident"},
    **{
        f"drowning:{n}": {"pk": "parent_letter"}
        for n in (
            "letter_detail",
            "letter_docx",
            "letter_print",
            "letter_receipts",
            "letter_receipts_upload",
            "letter_receipts_template",
            "letter_missing",
        )
    },
    "drowning:assignment_detail": {"pk": "drowning_assignment"},
    **{
        f"drowning:{n}": {"pk": "sign_inspection"}
        for n in ("sign_inspection_detail", "sign_inspection_docx", "sign_inspection_print")
    },
    **{f"venues:{n}": {"pk": "venue"} for n in ("venue_detail", "venue_edit")},
    **{f"venues:{n}": {"venue_pk": "venue"} for n in ("inspection_create", "concern_create")},
    "venues:inspection_detail": {"pk": "venue_inspection"},
    "venues:order_notice": {"pk": "venue_order"},
    "venues:concern_close": {"pk": "venue_concern"},
    # The API (the DRF router's names)
    "api:division-detail": {"pk": "division"},
    "api:unit-detail": {"pk": "unit_a"},
    **{f"api:user-{n}": {"pk": "user_a"} for n in ("detail", "deactivate", "reset-password")},
    "api:auditevent-detail": {"pk": "audit_event"},
    "api:notification-detail": {"pk": "notification"},
    "api:notification-read": {"pk": "notification"},
    **{f"api:person-{n}": {"pk": "person"} for n in ("detail", "reveal")},
    "api:school-detail": {"pk": "school_a"},
    "api:liaison-detail": {"pk": "liaison"},
    "api:liaison-end": {"pk": "liaison"},
    **{
        f"api:notice-{n}": {"pk": "notice"}
        for n in ("detail", "recipients", "remind", "reply", "send")
    },
    **{f"api:legalvp-appointment-{n}": {"pk": "appointment"} for n in ("detail", "end", "renew")},
    "api:legalvp-dutyrecord-detail": {"pk": "duty"},
    "api:checkbatch-detail": {"pk": "batch"},
    **{f"api:atrisk-file-{n}": {"pk": "atrisk_file"} for n in ("detail", "timeline")},
    "api:atrisk-event-detail": {"pk": "event"},
    "api:education-session-detail": {"pk": "session"},
    "api:education-case-detail": {"pk": "teaching_case"},
    "api:education-case-decide": {"pk": "teaching_case"},
    **{
        f"api:casework-report-{n}": {"pk": "case"}
        for n in ("detail", "accept", "decide", "feedback")
    },
    **{
        f"api:casework-referral-{n}": {"pk": "referral"}
        for n in ("detail", "accept", "close", "decline")
    },
    "api:drowning-water-detail": {"pk": "water"},
    "api:drowning-patrol-detail": {"pk": "patrol"},
    "api:drowning-incident-detail": {"pk": "incident"},
    "api:drowning-letter-detail": {"pk": "parent_letter"},
    "api:drowning-assignment-detail": {"pk": "drowning_assignment"},
    "api:venues-venue-detail": {"pk": "venue"},
    "api:venues-violation-detail": {"pk": "venue_violation"},
    "api:venues-inspection-detail": {"pk": "venue_inspection"},
}

# Known leaks and 500s in other apps, by case id: marked xfail(strict=True). None now: the one
# the sweep found (the router's ".json" routes passed format= to actions that took none, a 500
# for 30 user/URL pairs) went with the format-suffix routes themselves.
KNOWN: dict[str, str] = {}

MISSING_INT = 987654321
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
MISSING_STR = "no-such-thing"
# The child's name, as pages show it (masked: 张*明) or in full, as is and JSON-escaped.
MARKERS = tuple(
    form
    for name in (CHILD_NAME, mask_name(CHILD_NAME))
    for form in (name.encode(), name.encode("unicode_escape").replace(b"\\U0000", b"\\u"))
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
REFUSED = frozenset({403, 404, 405})


# Routes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: its pieces (each pattern on the way down), its name and callback."""

    pieces: tuple[tuple[str, str], ...]  # ("route" | "regex", pattern text)
    name: str
    callback: Callable[..., Any]
    arguments: tuple[str, ...]

    @property
    def template(self) -> str:
        return "".join(text for _kind, text in self.pieces)

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("django-admin/")


def collect_routes(urlconf: Any = None) -> list[Route]:
    """Every URL pattern under the URLconf, recursively (the DRF router's included)."""
    routes: list[Route] = []

    def walk(
        patterns: Iterable[URLPattern | URLResolver], pieces: tuple[tuple[str, str], ...], ns: str
    ) -> None:
        for pattern in patterns:
            piece = _piece(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ns + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, (*pieces, piece), inner)
            else:
                all_pieces = (*pieces, piece)
                routes.append(
                    Route(
                        pieces=all_pieces,
                        name=ns + pattern.name if pattern.name else "",
                        callback=pattern.callback,
                        arguments=tuple(_arguments(all_pieces)),
                    )
                )

    walk(get_resolver(urlconf).url_patterns, (), "")
    return routes


def _piece(pattern: Any) -> tuple[str, str]:
    if isinstance(pattern, RegexPattern):
        return ("regex", pattern.regex.pattern)
    assert isinstance(pattern, RoutePattern), pattern
    return ("route", str(pattern))


ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_ARG = re.compile(r"\(\?P<(?P<name>\w+)>")


def _arguments(pieces: Iterable[tuple[str, str]]) -> Iterator[str]:
    for kind, text in pieces:
        found = ROUTE_ARG.finditer(text) if kind == "route" else REGEX_ARG.finditer(text)
        yield from (match["name"] for match in found)


def _regex_path(text: str, value_for: Callable[[str, str], str]) -> str:
    """A path the regex matches, its named groups filled with value_for(name, group body)."""
    out, i = [], 0
    text = text.removeprefix("^").removesuffix("$")
    while i < len(text):
        match = REGEX_ARG.match(text, i)
        if match is None:
            out.append(text[i])
            i += 1
            continue
        depth, j = 1, match.end()
        while depth:
            if text[j] == "\\":
                j += 1
            elif text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
            j += 1
        out.append(value_for(match["name"], text[match.end() : j - 1]))
        i = j
    return "".join(out).replace("/?", "/").replace("\\.", ".").replace("\\", "")


# Probing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    user: str
    method: str
    route: Route

    @property
    def id(self) -> str:
        return f"{self.user}-{self.method}-{self.route.template}"


@dataclass
class Outcome:
    url: str
    status: int
    location: str = ""
    problem: str | None = None
    opened: bool = False


@dataclass
class Sweep:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    build_errors: list[str] = field(default_factory=list)

    @property
    def probes(self) -> int:
        return len(self.outcomes)

    @property
    def opened(self) -> list[str]:
        return [case_id for case_id, outcome in self.outcomes.items() if outcome.opened]


class Prober:
    """Requests each case's URL as its user, one probe per rolled-back savepoint."""

    def __init__(self, world: World, args: Mapping[str, Mapping[str, str]] = ARGS) -> None:
        self.world = world
        self.args = args
        self.sessions: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        for user in (OUTSIDER, OTHER_SCHOOL):
            account = world.users[user]
            client = Client()
            client.force_login(account)
            if account.needs_otp:
                from weibao.testing import logged_in

                client = logged_in(account)
            self.sessions[user] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.tokens[user] = Token.objects.get_or_create(user=account)[0].key
        self.login_urls = (resolve_url(settings.LOGIN_URL), "/django-admin/login/")

    def url_for(self, route: Route) -> tuple[str, bool, bool]:
        """(path, names a real object of school A, must be refused to the other users)."""
        mapping = self.args.get(route.name, {})
        foreign, must_refuse = False, False

        def value(name: str, converter: str) -> str:
            nonlocal foreign, must_refuse
            if name == "format" or converter == "drf_format_suffix":
                return ".json" if converter == "drf_format_suffix" else "json"
            if "|" in converter and "[" not in converter:  # an alternation: take the first
                return converter.split("|")[0]
            key = mapping.get(name) or self._admin_key(route, name)
            if key and key.startswith("="):
                return key[1:]
            pk = self.world.pk(key) if key else None
            if pk is None or key not in SHARED:
                must_refuse = True
            if pk is not None:
                foreign = foreign or key not in SHARED
                return str(pk)
            if converter == "uuid":
                return MISSING_UUID
            return str(MISSING_INT) if converter in ("int", "path", "") else MISSING_STR

        parts = []
        for kind, text in route.pieces:
            if kind == "route":
                parts.append(
                    ROUTE_ARG.sub(lambda m: value(m["name"], m["converter"] or "str"), text)
                )
            else:
                parts.append(_regex_path(text, lambda name, body: value(name, body)))
        return "/" + "".join(parts), foreign, must_refuse

    def _admin_key(self, route: Route, name: str) -> str | None:
        if not route.name.startswith("admin:") or name != "object_id":
            return None
        label = route.name.removeprefix("admin:").rsplit("_", 1)[0]
        for key, obj in self.world.objects.items():
            if f"{obj._meta.app_label}_{obj._meta.model_name}" == label:
                return key
        return None

    def client_for(self, case: Case) -> Client:
        client = Client(raise_request_exception=False)
        if case.user == ANONYMOUS:
            return client
        if case.route.is_api:
            return Client(
                raise_request_exception=False,
                HTTP_AUTHORIZATION=f"Token {self.tokens[case.user]}",
            )
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[case.user]
        return client

    def probe(self, case: Case, sweep: Sweep) -> None:
        url, foreign, must_refuse = self.url_for(case.route)
        try:
            resolved = resolve(url)
        except Resolver404:
            sweep.build_errors.append(f"{case.route.template}: built {url}, which does not resolve")
            return
        if resolved.func is not case.route.callback:
            sweep.build_errors.append(
                f"{case.route.template}: built {url}, which resolves elsewhere"
            )
        client = self.client_for(case)
        with probe_atomic():
            if case.method == "GET":
                response = client.get(url)
            elif case.route.is_api:
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.post(url, {})
            content = _content(response)
            transaction.set_rollback(True)
        sweep.outcomes[case.id] = self.judge(case, url, response, content, foreign, must_refuse)

    def judge(
        self,
        case: Case,
        url: str,
        response: HttpResponseBase,
        content: bytes,
        foreign: bool,
        must_refuse: bool,
    ) -> Outcome:
        status = response.status_code
        location = response.headers.get("Location", "")
        outcome = Outcome(url=url, status=status, location=location)
        to_login = status in REDIRECTS and urlsplit(location).path.startswith(self.login_urls)
        shows_child = any(marker in content for marker in MARKERS)
        if status >= 500:
            outcome.problem = f"server error {status}"
        elif shows_child:
            outcome.problem = f"the answer ({status}) shows {CHILD_NAME} (or 张*明)"
        elif case.user == ANONYMOUS:
            if case.route.name not in PUBLIC and status != 405:
                page = not case.route.is_api or case.route.name in API_PAGES
                if not (to_login if page else status in (401, 403)):
                    outcome.problem = f"anonymous got {status} {location}".strip()
        elif status in REFUSED or to_login:
            pass
        elif must_refuse:
            outcome.problem = f"not refused: {status} {location}".strip()
        elif (
            case.method == "POST"
            and case.route.arguments
            and (status in REDIRECTS or (case.route.is_api and status < 300))
        ):  # a shared object may be read by all, changed by none of these users
            outcome.problem = f"a change to a shared object was not refused: {status} {location}"
        outcome.opened = shows_child or (
            foreign and case.user != ANONYMOUS and 200 <= status < 300 and must_refuse
        )
        return outcome


def _content(response: HttpResponseBase) -> bytes:
    """The body; an xlsx/docx (a zip) is unpacked so a name inside it is found too."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.close()
    else:
        body = response.content  # type: ignore[attr-defined]
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return body + b"".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return body


def cases_for(routes: Iterable[Route]) -> list[Case]:
    return [Case(user, method, route) for route in routes for user in USERS for method in METHODS]


ROUTES = collect_routes()
CASES = cases_for(ROUTES)
SWEEP_NOW = datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


# Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, built once for the module inside a transaction rolled back at the end."""
    files = tmp_path_factory.mktemp("sweep-files")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(Path(files))},
        },
    }
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PASSWORD_HASHERS=fast),
        # The world's dates (terms, deadlines, duty days) and every probe on one fixed day,
        # the clock running from there: the sweep means the same in December as in May.
        time_machine.travel(SWEEP_NOW),
        probe_atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def sweep(world: World) -> Sweep:
    """Every case probed once."""
    result = Sweep()
    prober = Prober(world)
    with _quiet():
        for case in CASES:
            prober.probe(case, result)
    return result


@contextmanager
def _quiet() -> Iterator[None]:
    """No log line for each refused probe (thousands of 403s and 404s)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[case.id])] if case.id in KNOWN else []
    return pytest.param(case, id=case.id, marks=marks)


# Tests -------------------------------------------------------------------------------------


def test_world_has_a_record_in_every_app(world: World) -> None:
    assert world.missing == {}


def test_every_url_was_built_to_resolve(sweep: Sweep) -> None:
    assert sweep.build_errors == []


def test_every_mapped_url_name_exists() -> None:
    """A renamed URL would silently fall back to a missing key: the table must follow."""
    names = {route.name for route in ROUTES}
    assert set(ARGS) - names == set()
    assert set(KNOWN) - {case.id for case in CASES} == set()


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_url(case: Case, sweep: Sweep) -> None:
    outcome = sweep.outcomes[case.id]
    assert outcome.problem is None, f"{case.method} {outcome.url} as {case.user}: {outcome.problem}"


def test_sweep_counts(sweep: Sweep) -> None:
    """At least 500 probes, and no foreign record opened but the known (xfailed) leaks."""
    assert sweep.probes >= 500
    assert len(ROUTES) >= 300
    assert sorted(set(sweep.opened) - set(KNOWN)) == []


# The sweep's own test: unguarded views are caught ------------------------------------------


def _leaky_list(request: HttpRequest) -> HttpResponse:
    """No login required: every child's name to anyone."""
    return HttpResponse(", ".join(Person.objects.values_list("name", flat=True)))


def _leaky_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Signed-in users only, but no scope: anyone's record by its key."""
    if not request.user.is_authenticated:
        return HttpResponse(status=302, headers={"Location": resolve_url(settings.LOGIN_URL)})
    try:
        return HttpResponse(Person.objects.get(pk=pk).name)
    except Person.DoesNotExist as error:
        raise Http404 from error


def _leaky_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Signed-in users only; changes anyone's record and says only "saved"."""
    if not request.user.is_authenticated:
        return HttpResponse(status=302, headers={"Location": resolve_url(settings.LOGIN_URL)})
    Person.objects.filter(pk=pk).update(phone="13000000000")
    return HttpResponse("saved")


LEAKY_URLS = ModuleType("sweep_leaky_urls", "A URLconf with three unguarded views.")
LEAKY_URLS.urlpatterns = [  # type: ignore[attr-defined]
    path("accounts/", include("weibao.accounts.urls")),
    path("sweep-leaky/", _leaky_list, name="sweep_leaky_list"),
    path("sweep-leaky/<int:pk>/", _leaky_detail, name="sweep_leaky_detail"),
    path("sweep-leaky/<int:pk>/edit/", _leaky_edit, name="sweep_leaky_edit"),
]


def test_sweep_catches_unguarded_views(world: World) -> None:
    leaky_args = {"sweep_leaky_detail": {"pk": "person"}, "sweep_leaky_edit": {"pk": "person"}}
    with override_settings(ROOT_URLCONF=LEAKY_URLS):
        routes = [r for r in collect_routes() if r.name.startswith("sweep_leaky")]
        result = Sweep()
        prober = Prober(world, {**ARGS, **leaky_args})
        with _quiet():
            for case in cases_for(routes):
                prober.probe(case, result)
    assert result.build_errors == []
    failed = {case_id for case_id, outcome in result.outcomes.items() if outcome.problem}
    assert {
        "anonymous-GET-sweep-leaky/",
        "outsider-GET-sweep-leaky/",
        "liaison_b-GET-sweep-leaky/",
        "outsider-GET-sweep-leaky/<int:pk>/",
        "liaison_b-POST-sweep-leaky/<int:pk>/",
        "outsider-POST-sweep-leaky/<int:pk>/edit/",
        "liaison_b-GET-sweep-leaky/<int:pk>/edit/",
    } <= failed
    assert not any(case_id.startswith("anonymous-") and "pk" in case_id for case_id in failed)
    assert "liaison_b-GET-sweep-leaky/<int:pk>/" in result.opened
    assert "liaison_b-GET-sweep-leaky/<int:pk>/edit/" in result.opened  # 200 on a foreign key


@pytest.mark.parametrize("name", ["people:detail", "atrisk:detail", "casework:case_detail"])
def test_school_a_sees_its_own_child(world: World, name: str) -> None:
    """The control: the records are there, and the marker is found where it may be shown."""
    route = next(route for route in ROUTES if route.name == name)
    url, foreign, _must_refuse = Prober(world).url_for(route)
    client = Client()
    client.force_login(world.users["liaison_a"])
    with probe_atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    assert foreign
    assert response.status_code == 200
    assert any(marker in _content(response) for marker in MARKERS)
