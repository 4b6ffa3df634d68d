from __future__ import annotations

from django.urls import path

from weibao.crimes import views

app_name = "crimes"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("export/", views.case_export, name="case_export"),
    path("import/", views.case_import, name="case_import"),
    path("import/template/", views.case_template, name="case_template"),
    path("import/errors/", views.case_import_errors, name="case_import_errors"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("suspects/<int:pk>/atrisk/", views.suspect_send, name="suspect_send"),
    path("victims/<int:pk>/refer/", views.victim_refer, name="victim_refer"),
]
