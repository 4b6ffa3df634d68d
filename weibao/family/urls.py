from __future__ import annotations

from django.urls import path

from weibao.family import views

app_name = "family"

urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/export/", views.site_export, name="site_export"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("coverage/", views.coverage, name="coverage"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/export/", views.volunteer_export, name="volunteer_export"),
    path("volunteers/import/", views.volunteer_import, name="volunteer_import"),
    path(
        "volunteers/import/errors/", views.volunteer_import_errors, name="volunteer_import_errors"
    ),
    path("volunteers/template/", views.volunteer_template, name="volunteer_template"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/training/", views.training_create, name="training_create"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/counts/", views.activity_counts, name="activity_counts"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/attach/", views.activity_attach, name="activity_attach"),
    path("guidance/", views.guidance_list, name="guidance_list"),
    path("guidance/assign/<int:order_pk>/", views.guidance_assign, name="guidance_assign"),
    path("guidance/<int:pk>/", views.guidance_detail, name="guidance_detail"),
    path("guidance/<int:pk>/session/", views.guidance_session, name="guidance_session"),
    path("guidance/<int:pk>/complete/", views.guidance_complete, name="guidance_complete"),
]
