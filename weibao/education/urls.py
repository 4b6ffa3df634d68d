from __future__ import annotations

from django.urls import path

from weibao.education import views

app_name = "education"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/attach/", views.session_attach, name="session_attach"),
    path("sessions/import/", views.session_import, name="session_import"),
    path("sessions/import/errors/", views.session_import_errors, name="session_import_errors"),
    path("sessions/import/template/", views.session_template, name="session_template"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
    path("terms/", views.term_list, name="term_list"),
    path("terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/rule/", views.rule_set, name="rule_set"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<int:pk>/", views.topic_edit, name="topic_edit"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("cases/<int:pk>/attach/", views.case_attach, name="case_attach"),
]
