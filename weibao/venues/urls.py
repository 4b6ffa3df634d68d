from __future__ import annotations

from django.urls import path

from weibao.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.venue_list, name="venue_list"),
    path("new/", views.venue_create, name="venue_create"),
    path("export/", views.venue_export, name="venue_export"),
    path("import/", views.venue_import, name="venue_import"),
    path("import/errors/", views.venue_import_errors, name="venue_import_errors"),
    path("template/", views.venue_template, name="venue_template"),
    path("<int:pk>/", views.venue_detail, name="venue_detail"),
    path("<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("<int:venue_pk>/inspect/", views.inspection_create, name="inspection_create"),
    path("<int:venue_pk>/concern/", views.concern_create, name="concern_create"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/end/", views.rule_end, name="rule_end"),
    path("violations/", views.violation_list, name="violation_list"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/start/", views.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/notice.docx", views.order_notice, name="order_notice"),
    path("repeat-offenders/", views.repeat_offenders, name="repeat_offenders"),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/<int:pk>/close/", views.concern_close, name="concern_close"),
    path("map/", views.venue_map, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("map/townships.geojson", views.map_townships, name="map_townships"),
]
