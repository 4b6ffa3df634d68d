"""The chart include: the option travels as JSON data, never as an inline script."""

from __future__ import annotations

import json
import re

from django.template.loader import render_to_string


def test_chart_include_renders_option_as_json_data() -> None:
    option = {"xAxis": {"data": ["鳌溪镇", "公溪镇"]}, "series": [{"type": "bar", "data": [3, 5]}]}
    html = render_to_string(
        "includes/chart.html", {"chart_id": "coverage", "option": option, "csp_nonce": "n0nce"}
    )
    assert 'data-chart="coverage-option"' in html
    match = re.search(r'<script id="coverage-option" type="application/json">(.*?)</script>', html)
    assert match is not None and json.loads(match.group(1)) == option
    assert 'echarts-6.1.0/echarts.min.js" nonce="n0nce"' in html
