from __future__ import annotations

from django.urls import path

from weibao.care import views

app_name = "care"

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path(
        "children/<int:pk>/contact/", views.child_record, {"what": "contact"}, name="contact_create"
    ),
    path("children/<int:pk>/visit/", views.child_record, {"what": "visit"}, name="visit_create"),
    path(
        "children/<int:pk>/difficulty/",
        views.child_record,
        {"what": "difficulty"},
        name="difficulty_create",
    ),
    path("children/<int:pk>/need/", views.child_record, {"what": "need"}, name="need_create"),
    path("needs/<int:pk>/refer/", views.need_refer, name="need_refer"),
    path("needs/<int:pk>/met/", views.need_met, name="need_met"),
    path("difficulties/<int:pk>/end/", views.difficulty_end, name="difficulty_end"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/close/", views.warning_close, name="warning_close"),
    path("overview/", views.overview, name="overview"),
    path("townships/<int:pk>/", views.township, name="township"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
]
