from __future__ import annotations

from django.urls import path

from weibao.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("export/", views.person_export, name="export"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/guardians/", views.guardian_add, name="guardian_add"),
    path("<int:pk>/left-behind/", views.left_behind_set, name="left_behind"),
]
