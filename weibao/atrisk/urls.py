from __future__ import annotations

from django.urls import path

from weibao.atrisk import views

app_name = "atrisk"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.file_create, name="create"),
    path("mine/", views.caseload, name="caseload"),
    path("overview/", views.overview, name="overview"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/resolve/", views.warning_resolve, name="warning_resolve"),
    path("rules/", views.rules, name="rules"),
    path("export/", views.export, name="export"),
    path("sealed/", views.sealed_list, name="sealed_list"),
    path("sealed/<int:pk>/decide/", views.sealed_decide, name="sealed_decide"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/share/", views.event_share, name="event_share"),
    path("events/<int:pk>/seal/", views.event_seal, {"action": "seal"}, name="event_seal"),
    path("events/<int:pk>/unseal/", views.event_seal, {"action": "unseal"}, name="event_unseal"),
    path("measures/<int:pk>/seal/", views.measure_seal, {"action": "seal"}, name="measure_seal"),
    path(
        "measures/<int:pk>/unseal/", views.measure_seal, {"action": "unseal"}, name="measure_unseal"
    ),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("<int:pk>/factors/", views.factor_add, name="factor_add"),
    path("<int:pk>/factors/<int:factor_pk>/end/", views.factor_end, name="factor_end"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/sealed/", views.sealed_apply, name="sealed_apply"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/<slug:name>/form/", views.action_form, name="action_form"),
]
