"""Tables the demo county is made from: townships, place-name syllables, surnames, given names.

The county is fictional but modelled on 乐安县 (361025) in 抚州市, 江西省: the township names are
real, the villages and everyone in them are made up from these tables.
"""

from __future__ import annotations

DEFAULT_SEED = 2026
COUNTY_NAME = "乐安县"
COUNTY_CODE = "361025000000"
ID_PREFIX = "361025"

# (township code within the county, name, communities, villages). 镇 100-199, 乡 200-399;
# the first is the county seat. 22 + 14 + ... = 180 villages and communities.
TOWNSHIPS: tuple[tuple[str, str, int, int], ...] = (
    ("100", "鳌溪镇", 8, 14),
    ("101", "公溪镇", 2, 12),
    ("102", "山砀镇", 1, 11),
    ("103", "龚坊镇", 1, 11),
    ("104", "戴坊镇", 1, 12),
    ("105", "牛田镇", 2, 14),
    ("106", "万崇镇", 1, 12),
    ("107", "增田镇", 1, 10),
    ("108", "招携镇", 1, 12),
    ("200", "湖坪乡", 1, 8),
    ("201", "南村乡", 1, 8),
    ("202", "大马头乡", 1, 7),
    ("203", "金竹畲族乡", 1, 7),
    ("204", "谷岗乡", 1, 9),
    ("205", "罗陂乡", 1, 9),
)

# The county seat's residents' committees; other townships name their first after themselves.
SEAT_COMMUNITIES = ("城东", "城西", "城南", "城北", "鳌溪", "新华", "文昌", "龙津")

# Two syllables make a village name: 上坑, 流坑, 樟坪 ...
PLACE_HEADS = (
    "上", "下", "东", "西", "南", "北", "大", "小", "新", "中", "高", "石", "金", "龙", "江",
    "黄", "罗", "陈", "邓", "曾", "湖", "竹", "桥", "坪", "枫", "樟", "杨", "柏", "梅", "桃",
    "荷", "水", "云", "白", "青", "长", "和", "丰", "安", "兴", "富", "流", "观", "塘", "岭",
)  # fmt: skip
PLACE_TAILS = (
    "坑", "坊", "源", "田", "坪", "口", "头", "溪", "塘", "岭", "岗", "背", "陂", "洲", "湾",
    "家", "桥", "港", "圳", "山", "垄", "里", "庄", "埠", "寨", "坳", "排", "下", "峰", "湖",
)  # fmt: skip

STREETS = (
    "人民路", "建设路", "鳌溪大道", "龙津大道", "文昌路", "新华街", "解放路", "迎宾大道",
    "青云路", "金鳌路", "滨江路", "府前路",
)  # fmt: skip

# Common surnames of the area, with rough weights. 曾 and 乐 check the surname readings.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("陈", 60), ("李", 50), ("黄", 45), ("刘", 40), ("吴", 38), ("曾", 36), ("王", 35),
    ("张", 33), ("邓", 30), ("罗", 28), ("胡", 26), ("周", 22), ("徐", 20), ("杨", 20),
    ("詹", 16), ("饶", 15), ("熊", 15), ("朱", 14), ("何", 14), ("彭", 13), ("肖", 13),
    ("万", 12), ("丁", 10), ("董", 10), ("游", 10), ("付", 10), ("谢", 10), ("郑", 9),
    ("江", 9), ("廖", 9), ("宁", 8), ("龚", 8), ("戴", 8), ("许", 8), ("孙", 7), ("赵", 7),
    ("钟", 7), ("邱", 7), ("傅", 7), ("余", 7), ("危", 5), ("聂", 5), ("艾", 5), ("邹", 5),
    ("蔡", 5), ("欧阳", 3), ("乐", 3), ("单", 2), ("解", 1), ("雷", 4), ("蓝", 4),
)  # fmt: skip

# Given-name characters by generation (names follow fashions) and sex.
GIVEN: dict[tuple[str, str], tuple[str, ...]] = {
    ("old", "M"): tuple("根发福金水生荣贵长明德春林火保财旺桂华清"),
    ("old", "F"): tuple("秀英兰凤桂珍花梅莲娥香菊妹翠玉金春冬"),
    ("mid", "M"): tuple("伟强磊军勇杰涛斌建国峰林亮波超辉华平明刚志文斌红"),
    ("mid", "F"): tuple("芳娜敏静丽燕艳娟霞婷红玲慧琴云萍莉兰梅英"),
    ("young", "M"): tuple("浩宇轩子梓睿泽铭博航诚毅豪俊凯嘉天一锦晨阳鑫翔瑞"),
    ("young", "F"): tuple("涵萱欣怡梦雨思晴佳可馨颖蕾琪瑶璐诗悦雪婉彤妍若"),
}

# Address codes of people born elsewhere: the rest of 抚州市, and a few from further away.
OTHER_ID_PREFIXES = (
    "361002", "361021", "361022", "361023", "361024", "361026", "361027", "361028", "361030",
    "360121", "360502", "362430", "350583", "440307", "330782",
)  # fmt: skip

# Mobile number prefixes in use (13x-19x).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip

HOTELS = ("乐安宾馆", "乐安县金鳌大酒店", "鳌溪如家快捷酒店", "流坑古村客栈", "金竹山庄")
TRAINING = ("乐安县启航文化培训学校", "乐安县新星艺术培训中心", "乐安县博雅教育培训学校")
SOCIAL_WORK = ("乐安县阳光社会工作服务中心", "乐安县春苗青少年社会工作服务中心")

CHINESE_NUMERALS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def township_short(name: str) -> str:
    """The township's name without its 镇/乡 ending: 金竹畲族乡 -> 金竹."""
    for ending in ("畲族乡", "乡", "镇"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def generation(birth_year: int) -> str:
    """Which given-name table fits someone born in `birth_year`."""
    if birth_year < 1970:
        return "old"
    if birth_year < 2003:
        return "mid"
    return "young"
