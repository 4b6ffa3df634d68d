"""views_tasks"""

from __future__ import annotations
