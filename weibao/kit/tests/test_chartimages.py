"""Chart images for Word documents: PNG from matplotlib's Agg canvas, with no words in them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from weibao.kit import chartimages
from weibao.kit.chartimages import Series

PNG = b"\x89PNG\r\n\x1a\n"


def _size(content: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(content)) as image:
        return image.size


def test_line_chart_is_a_png_of_the_size_asked() -> None:
    content = chartimages.line_chart(
        [2017, 2018, 2019], [Series([3, 5, None]), Series([1.5, 2, 2.5])], width_mm=100
    )
    assert content.startswith(PNG)
    width, _height = _size(content)
    assert abs(width - 100 / 25.4 * chartimages.DPI) <= 1


def test_bar_chart_side_by_side_and_stacked() -> None:
    for stacked in (False, True):
        content = chartimages.bar_chart(
            list(range(1, 13)), [Series([1] * 12), Series([0, 2] * 6)], stacked=stacked
        )
        assert content.startswith(PNG)


def test_same_input_same_image() -> None:
    def draw() -> bytes:
        return chartimages.bar_chart([2020, 2021], [Series([4, 7])])

    assert draw() == draw()


def test_no_cjk_text_in_an_image() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        chartimages.line_chart(["2021年"], [Series([1])])


def test_series_must_match_the_axis() -> None:
    with pytest.raises(ValueError, match="one value per x"):
        chartimages.line_chart([2021, 2022], [Series([1])])
    with pytest.raises(ValueError, match="series"):
        chartimages.line_chart([2021], [])


def test_every_style_differs() -> None:
    styles = chartimages.STYLES
    assert len({s.colour for s in styles}) == len(styles)
    assert len({s.name for s in styles}) == len(styles)
