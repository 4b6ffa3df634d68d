"""Who may see and do what in schools and campus liaisons."""

from __future__ import annotations
