from __future__ import annotations

from django.urls import path

from weibao.stats import views, views_data

app_name = "stats"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/<slug:slug>.xlsx", views.panel_export, name="panel_export"),
    path("map/points/", views.map_points, name="map_points"),
    path("map/townships.geojson", views.map_townships, name="map_townships"),
    path("browse/", views.browse, name="browse"),
    path("browse/export/", views.browse_export, name="browse_export"),
    path("report/", views.year_report, name="report"),
    path("data/populations/", views_data.population_list, name="data_populations"),
    path("data/populations/set/", views_data.population_set, name="data_population_set"),
    path("data/populations/import/", views_data.population_import, name="data_population_import"),
    path(
        "data/populations/import/template/",
        views_data.population_template,
        name="data_population_template",
    ),
    path(
        "data/populations/import/errors/",
        views_data.population_import_errors,
        name="data_population_import_errors",
    ),
    path("data/populations/export/", views_data.population_export, name="data_population_export"),
    path("data/targets/", views_data.target_list, name="data_targets"),
    path("data/targets/set/", views_data.target_set, name="data_target_set"),
    path("data/trace/<str:key>/<str:period>/", views_data.trace, name="data_trace"),
]
