from __future__ import annotations

from django.urls import path

from weibao.staffchecks import views

app_name = "staffchecks"

urlpatterns = [
    path("", views.home, name="home"),
    path("roster/<int:unit_id>/", views.roster, name="roster"),
    path("roster/<int:unit_id>/template/", views.roster_template, name="roster_template"),
    path("roster/<int:unit_id>/upload/", views.roster_upload, name="roster_upload"),
    path("roster/<int:unit_id>/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/left/", views.staff_left, name="staff_left"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/import/", views.upload_import, name="upload_import"),
    path("uploads/<int:pk>/errors/", views.upload_errors, name="upload_errors"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/<int:unit_id>/", views.batch_create, name="batch_create"),
    path("batches/annual/", views.annual_run_all, name="annual_run_all"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/run/", views.batch_run, name="batch_run"),
    path("batches/<int:pk>/letter/", views.batch_letter, name="batch_letter"),
    path("batches/<int:pk>/print/", views.batch_print, name="batch_print"),
    path("batches/<int:pk>/national/", views.batch_national, name="batch_national"),
    path("items/<int:pk>/action/", views.item_action, name="item_action"),
    path("items/<int:pk>/letter/", views.item_letter, name="item_letter"),
    path("register/", views.register, name="register"),
    path("register/template/", views.register_template, name="register_template"),
    path("matches/", views.matches, name="matches"),
    path("matches/<int:pk>/confirm/", views.match_confirm, name="match_confirm"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
]
