"""Who may see and do what in liaison group notices."""

from __future__ import annotations
