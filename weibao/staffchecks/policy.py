"""Who may see and do what in staff criminal-record checks."""

from __future__ import annotations
