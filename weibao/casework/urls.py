from __future__ import annotations

from django.urls import path

from weibao.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("reports/new/", views.case_create, name="case_create"),
    path("reports/<int:pk>/", views.case_detail, name="case_detail"),
    path("reports/<int:pk>/accept/", views.case_accept, name="case_accept"),
    path("reports/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("reports/<int:pk>/feedback/", views.case_feedback, name="case_feedback"),
    path("reports/<int:pk>/late-report/", views.case_late_report, name="case_late_report"),
    path("reports/<int:pk>/supervise/", views.case_supervise, name="case_supervise"),
    path("reports/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("atrisk/<int:file_pk>/refer/", views.atrisk_refer, name="atrisk_refer"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/supervise/", views.referral_supervise, name="referral_supervise"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/<int:pk>/close/", views.supervision_close, name="supervision_close"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/reply/", views.suggestion_reply, name="suggestion_reply"),
    path("suggestions/<int:pk>/assess/", views.suggestion_assess, name="suggestion_assess"),
    path("suggestions/<int:pk>/docx/", views.suggestion_docx, name="suggestion_docx"),
    path("suggestions/<int:pk>/print/", views.suggestion_print, name="suggestion_print"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/followups/<int:followup_pk>/", views.followup_record, name="followup"),
    path("orders/<int:pk>/docx/", views.order_docx, name="order_docx"),
    path("orders/<int:pk>/print/", views.order_print, name="order_print"),
    path("settings/", views.settings_edit, name="settings"),
]
