from __future__ import annotations

from django.urls import URLPattern, path

from weibao.notices import views

app_name = "notices"

urlpatterns: list[URLPattern] = [
    path("", views.notice_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/attach/", views.notice_attach, name="attach"),
    path("<int:pk>/send/", views.notice_send, name="send"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("<int:pk>/remind/", views.notice_remind, name="remind"),
    path("<int:pk>/export/", views.notice_export, name="export"),
    path("<int:pk>/reply/", views.notice_reply, name="reply"),
    path("replies/<int:pk>/", views.reply_detail, name="reply_detail"),
]
