"""Dates as 2026-12-02 in this language too: see weibao/kit/formats/common.py."""

from weibao.kit.formats.common import *  # noqa: F403
