from __future__ import annotations

from django.urls import path

from weibao.legalvp import views

app_name = "legalvp"

urlpatterns = [
    path("", views.appointment_list, name="list"),
    path("new/", views.appointment_create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("summary/", views.summary, name="summary"),
    path("summary/export/", views.summary_export, name="summary_export"),
    path("<int:pk>/", views.appointment_detail, name="detail"),
    path("<int:pk>/renew/", views.appointment_renew, name="renew"),
    path("<int:pk>/end/", views.appointment_end, name="end"),
    path("<int:pk>/letter.docx", views.letter_download, name="letter"),
    path("<int:pk>/letter/", views.letter_print, name="letter_print"),
    path("<int:pk>/duties/", views.duty_add, name="duty_add"),
    path("<int:pk>/evaluations/", views.evaluation_set, name="evaluate"),
    path("duties/<int:pk>/", views.duty_edit, name="duty_edit"),
    path("duties/<int:pk>/delete/", views.duty_delete, name="duty_delete"),
]
