from django.urls import path

from weibao.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("rules/<str:kind>/change/", views.rule_change, name="rule_change"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/preview/", views.run_preview, name="run_preview"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("assessments/", views.pia_list, name="pia_list"),
    path("assessments/new/", views.pia_create, name="pia_create"),
    path("assessments/<int:pk>/", views.pia_detail, name="pia_detail"),
    path("assessments/<int:pk>/edit/", views.pia_edit, name="pia_edit"),
    path("assessments/<int:pk>/delete/", views.pia_delete, name="pia_delete"),
]
