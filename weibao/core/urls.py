from __future__ import annotations

from django.urls import path

from weibao.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("pick/<slug:name>/", views.pick, name="pick"),
]
