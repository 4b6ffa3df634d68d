from __future__ import annotations

import pytest

from weibao.lib.pinyin import name_pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("曾小明", "zengxiaoming", "zxm"),
        ("单田芳", "shantianfang", "stf"),
        ("解晓东", "xiexiaodong", "xxd"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        (" 李 四 ", "lisi", "ls"),
        ("", "", ""),
    ],
)
def test_name_pinyin(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


def test_single_character_surname_alone_is_read_normally() -> None:
    # "曾" alone is a word (ceng), not a surname followed by a given name.
    assert name_pinyin("曾")[0] == "ceng"
