"""Mechanisms forms. Units and people are chosen with pickers (search-as-you-type, scoped)."""

from __future__ import annotations

from django import forms  # noqa: F401

# The leading group, the plan and the co-construction activities --------------------------------

# Meetings and decisions ---------------------------------------------------------------------------

# Tasks and supervision ----------------------------------------------------------------------------

# The yearly assessment ----------------------------------------------------------------------------
