"""Pinyin for Chinese names, for search: full pinyin and initials.

Surnames with a reading of their own (单 shan, 曾 zeng, 解 xie ...) are read as surnames.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's most common one, as their syllables.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "朴": ("piao",),
    "查": ("zha",), "区": ("ou",), "盖": ("ge",), "尉": ("yu",), "乐": ("yue",),
    "缪": ("miao",), "翟": ("zhai",), "覃": ("qin",), "种": ("chong",), "繁": ("po",),
    "员": ("yun",), "召": ("shao",), "秘": ("bi",), "隗": ("wei",), "柏": ("bai",),
    "长孙": ("zhang", "sun"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"),
}  # fmt: skip


# Names repeat (张伟, 王芳 ...): each is read once per process, up to a bound (about 3 MiB) that
# keeps a roster file's run of names; the whole name is the key, as a polyphone reads by its
# neighbours (周长瑞 zhouchangrui, but 长瑞 alone zhangrui).
@lru_cache(maxsize=16_384)
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, no spaces: 曾小明 -> (zengxiaoming, zxm)."""
    name = "".join(name.split())
    syllables: list[str] = []
    rest = name
    for length in (2, 1):
        if len(name) > length and name[:length] in SURNAME_READINGS:
            syllables = list(SURNAME_READINGS[name[:length]])
            rest = name[length:]
            break
    syllables += [s.lower() for s in lazy_pinyin(rest, style=Style.NORMAL) if s.strip()]
    return "".join(syllables), "".join(s[0] for s in syllables)
