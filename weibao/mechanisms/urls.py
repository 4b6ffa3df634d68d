from __future__ import annotations

from django.urls import path

from weibao.mechanisms import views, views_assessment, views_meetings, views_tasks

app_name = "mechanisms"

urlpatterns = [
    path("", views.home, name="home"),
    # The leading group, the plan and the co-construction activities (views.py) ---------------
    # Meetings and decisions (views_meetings.py) ----------------------------------------------
    # Tasks and supervision (views_tasks.py) --------------------------------------------------
    # The yearly assessment (views_assessment.py) ---------------------------------------------
]
