"""views_assessment"""

from __future__ import annotations
