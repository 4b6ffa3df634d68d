"""The legalvp API: viewsets registered on the one router."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
