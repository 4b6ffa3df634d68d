"""Who may see and do what in legal vice-principals."""

from __future__ import annotations
