"""Weibao's URLs: the platform's own, then every app's, as its contract declares."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from weibao.core.contract import contracts

urlpatterns = [
    path("", include("weibao.core.urls")),
    path("accounts/", include("weibao.accounts.urls")),
    path("audit/", include("weibao.audit.urls")),
    *(
        path(app.contract.url_prefix, include(app.contract.urls))
        for app in contracts()
        if app.contract.urls
    ),
    path("api/v1/", include("weibao.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
