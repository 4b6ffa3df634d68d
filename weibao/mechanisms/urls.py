from __future__ import annotations

from django.urls import path

from weibao.mechanisms import views, views_assessment, views_meetings, views_tasks

app_name = "mechanisms"

urlpatterns = [
    path("", views.home, name="home"),
    # The leading group, the plan and the co-construction activities (views.py) ---------------
    path("group/", views.group, name="group"),
    path("group/edit/", views.group_edit, name="group_edit"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/<int:pk>/responsibilities/",
        views.member_responsibilities,
        name="member_responsibilities",
    ),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/new/", views.plan_item_create, name="plan_item_create"),
    path("plan-items/<int:pk>/edit/", views.plan_item_edit, name="plan_item_edit"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    # Meetings and decisions (views_meetings.py) ----------------------------------------------
    path("meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/attendance/",
        views_meetings.meeting_attendance,
        name="meeting_attendance",
    ),
    path("meetings/<int:pk>/minutes/", views_meetings.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/minutes.docx",
        views_meetings.meeting_minutes_docx,
        name="meeting_minutes_docx",
    ),
    path("meetings/<int:pk>/decisions/new/", views_meetings.decision_add, name="decision_add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/edit/",
        views_meetings.decision_edit,
        name="decision_edit",
    ),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/remove/",
        views_meetings.decision_remove,
        name="decision_remove",
    ),
    path("meetings/<int:pk>/cases/", views_meetings.meeting_cases, name="meeting_cases"),
    path("meetings/<int:pk>/files/", views_meetings.meeting_files, name="meeting_files"),
    # Tasks and supervision (views_tasks.py) --------------------------------------------------
    path("tasks/new/", views_tasks.task_create, name="task_create"),
    path("tasks/", views_tasks.task_list, name="task_list"),
    path("tasks/board/", views_tasks.task_board, name="task_board"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views_tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress/", views_tasks.task_progress, name="task_progress"),
    path("tasks/<int:pk>/submit/", views_tasks.task_submit, name="task_submit"),
    path("tasks/<int:pk>/accept/", views_tasks.task_accept, name="task_accept"),
    path("tasks/<int:pk>/return/", views_tasks.task_return, name="task_return"),
    path("tasks/<int:pk>/supervise/", views_tasks.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/docx/", views_tasks.notice_docx, name="notice_docx"),
    # The yearly assessment (views_assessment.py) ---------------------------------------------
    path("assessment/", views_assessment.scheme_list, name="scheme_list"),
    path("assessment/new/", views_assessment.scheme_create, name="scheme_create"),
    path("assessment/<int:pk>/", views_assessment.scheme, name="scheme"),
    path("assessment/<int:pk>/edit/", views_assessment.scheme_edit, name="scheme_edit"),
    path("assessment/<int:pk>/items/new/", views_assessment.item_add, name="item_add"),
    path(
        "assessment/<int:pk>/items/<int:number>/edit/", views_assessment.item_edit, name="item_edit"
    ),
    path(
        "assessment/<int:pk>/items/<int:number>/remove/",
        views_assessment.item_remove,
        name="item_remove",
    ),
    path("assessment/<int:pk>/compute/", views_assessment.scheme_compute, name="scheme_compute"),
    path("assessment/<int:pk>/publish/", views_assessment.scheme_publish, name="scheme_publish"),
    path(
        "assessment/<int:pk>/report.docx",
        views_assessment.scheme_report_docx,
        name="scheme_report_docx",
    ),
    path(
        "assessment/<int:pk>/report.xlsx",
        views_assessment.scheme_report_xlsx,
        name="scheme_report_xlsx",
    ),
    path("assessment/results/<int:pk>/", views_assessment.result, name="result"),
    path(
        "assessment/results/<int:pk>/submit/", views_assessment.result_submit, name="result_submit"
    ),
    path("assessment/scores/<int:pk>/self/", views_assessment.score_self, name="score_self"),
    path("assessment/scores/<int:pk>/review/", views_assessment.score_review, name="score_review"),
    path("assessment/scores/<int:pk>/change/", views_assessment.score_change, name="score_change"),
]
