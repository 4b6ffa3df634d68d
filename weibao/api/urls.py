"""The JSON API at /api/v1/: each app registers its viewsets on the one router."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from weibao.api import (
    atrisk,
    casework,
    education,
    legalvp,
    notices,
    people,
    schools,
    staffchecks,
    views,
)
from weibao.api.permissions import IsActiveMember

app_name = "api"

router = DefaultRouter()
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("units", views.OrganisationViewSet, basename="unit")
router.register("users", views.UserViewSet, basename="user")
router.register("people", people.PersonViewSet, basename="person")
router.register("audit-events", views.AuditEventViewSet, basename="auditevent")
router.register("notifications", views.NotificationViewSet, basename="notification")
for module in (schools, notices, legalvp, staffchecks, atrisk, education, casework):
    module.register(router)

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
