from __future__ import annotations

from django.urls import path

from weibao.drowning import views

app_name = "drowning"

urlpatterns = [
    path("", views.home, name="home"),
    path("waters/", views.water_list, name="water_list"),
    path("waters/new/", views.water_create, name="water_create"),
    path("waters/export/", views.water_export, name="water_export"),
    path("waters/import/", views.water_import, name="water_import"),
    path("waters/import/errors/", views.water_import_errors, name="water_import_errors"),
    path("waters/template/", views.water_template, name="water_template"),
    path("waters/<int:pk>/", views.water_detail, name="water_detail"),
    path("waters/<int:pk>/edit/", views.water_edit, name="water_edit"),
    path("waters/<int:water_pk>/patrol/", views.patrol_create, name="patrol_create"),
    path("waters/<int:water_pk>/custodians/new/", views.custodian_create, name="custodian_create"),
    path("custodians/", views.custodian_list, name="custodian_list"),
    path("custodians/<int:pk>/", views.custodian_edit, name="custodian_edit"),
    path("patrols/plan/", views.patrol_plan, name="patrol_plan"),
    path("patrols/overdue/", views.patrols_overdue, name="patrols_overdue"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("map/", views.water_map, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("map/townships.geojson", views.map_townships, name="map_townships"),
    path("map/upload/", views.map_upload, name="map_upload"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/coverage/", views.letter_coverage, name="letter_coverage"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/letter.docx", views.letter_docx, name="letter_docx"),
    path("letters/<int:pk>/print/", views.letter_print, name="letter_print"),
    path("letters/<int:pk>/receipts/", views.letter_receipts, name="letter_receipts"),
    path(
        "letters/<int:pk>/receipts/upload/",
        views.letter_receipts_upload,
        name="letter_receipts_upload",
    ),
    path(
        "letters/<int:pk>/receipts/template/",
        views.letter_receipts_template,
        name="letter_receipts_template",
    ),
    path("letters/<int:pk>/missing/", views.letter_missing, name="letter_missing"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/unassigned/", views.assignment_unassigned, name="assignment_unassigned"),
    path("assignments/silent/", views.assignment_silent, name="assignment_silent"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("signs/", views.sign_inspection_list, name="sign_inspection_list"),
    path("signs/inspect/", views.sign_inspection_form, name="sign_inspection_form"),
    path("signs/coverage/", views.sign_coverage, name="sign_coverage"),
    path("signs/<int:pk>/", views.sign_inspection_detail, name="sign_inspection_detail"),
    path("signs/<int:pk>/report.docx", views.sign_inspection_docx, name="sign_inspection_docx"),
    path("signs/<int:pk>/print/", views.sign_inspection_print, name="sign_inspection_print"),
]
