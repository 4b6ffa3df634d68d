"""Every write of the mechanisms, one module per topic: `group` (the leading group, its members
and responsibilities, the plan, co-construction activities), `meetings` (meetings, attendance,
decisions), `tasks` (tasks, progress, acceptance, reminders and supervision) and `assessment`
(schemes, scores, review, publication). Callers import the topic module."""
