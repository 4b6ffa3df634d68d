from __future__ import annotations

from weibao.kit.pages import download


def test_download_encodes_a_chinese_name_and_is_not_cached() -> None:
    response = download(b"data", "学校名单.xlsx", "application/octet-stream")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%AD%A6%E6%A0%A1%E5%90%8D%E5%8D%95.xlsx"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"data"
