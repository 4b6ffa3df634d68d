"""Weibao's URLs: the platform's own, then every app's, as its contract declares."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from weibao.accounts.admin import PlatformAdminSite
from weibao.core import errors
from weibao.core.contract import contracts

# The admin site behind the platform's login and a verified one-time code (django-otp's way of
# swapping the default site's class, which keeps every registration).
admin.site.__class__ = PlatformAdminSite

handler400 = "weibao.core.errors.bad_request"
handler403 = "weibao.core.errors.permission_denied"
handler404 = "weibao.core.errors.page_not_found"
handler500 = "weibao.core.errors.server_error"

urlpatterns = [
    path("favicon.ico", errors.favicon, name="favicon"),
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
