"""Weibao's URLs: one include per app."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("weibao.core.urls")),
    path("accounts/", include("weibao.accounts.urls")),
    path("audit/", include("weibao.audit.urls")),
    path("people/", include("weibao.people.urls")),
    path("schools/", include("weibao.schools.urls")),
    path("notices/", include("weibao.notices.urls")),
    path("legal-vp/", include("weibao.legalvp.urls")),
    path("staff-checks/", include("weibao.staffchecks.urls")),
    path("at-risk/", include("weibao.atrisk.urls")),
    path("law-education/", include("weibao.education.urls")),
    path("casework/", include("weibao.casework.urls")),
    path("api/v1/", include("weibao.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
