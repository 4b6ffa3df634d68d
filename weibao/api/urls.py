"""The JSON API at /api/v1/: the platform's resources, then each app's (its contract's `api`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from weibao.api import views
from weibao.core.api import IsActiveMember
from weibao.core.contract import register_api

app_name = "api"


class Router(DefaultRouter):
    """No ".json" variant of every route: nothing uses them, and they passed format= to actions
    that take none (a 500, found by the URL sweep)."""

    include_format_suffixes = False


router = Router()
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("units", views.OrganisationViewSet, basename="unit")
router.register("users", views.UserViewSet, basename="user")
router.register("audit-events", views.AuditEventViewSet, basename="auditevent")
router.register("notifications", views.NotificationViewSet, basename="notification")
register_api(router)  # every app's viewsets, as its contract declares

urlpatterns = [
    path("me/", views.me, name="me"),
    path("token/", views.token, name="token"),
    # The schema and its docs are for members only. The docs page loads its script from a
    # URL (the split view) because the CSP forbids inline scripts.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsActiveMember]),
        name="schema",
    ),
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("", include(router.urls)),
]
