from __future__ import annotations

from django.urls import path

from weibao.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("new/", views.school_create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("import/", views.school_import, name="import"),
    path("import/template/", views.school_template, name="template"),
    path("import/errors/", views.school_import_errors, name="import_errors"),
    path("export/", views.school_export, name="export"),
    path("<int:pk>/", views.school_detail, name="detail"),
    path("<int:pk>/edit/", views.school_edit, name="edit"),
    path("<int:pk>/close/", views.school_close, name="close"),
    path("<int:pk>/liaisons/appoint/", views.liaison_appoint, name="liaison_appoint"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
]
