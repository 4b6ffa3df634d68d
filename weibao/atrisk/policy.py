"""Who may see and do what in at-risk minors."""

from __future__ import annotations
