"""The JSON API at /api/v1/: each app registers its viewsets on the one router."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from weibao.api import people, views

app_name = "api"

router = DefaultRouter()
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("units", views.OrganisationViewSet, basename="unit")
router.register("people", people.PersonViewSet, basename="person")
router.register("audit-events", views.AuditEventViewSet, basename="auditevent")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("token/", views.token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
