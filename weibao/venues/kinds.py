"""The rules of venues near schools, as data: the kinds V01–V12 (reference.md §8), the unit
kind that supervises each, the national distance rule, and the checklist an inspection of each
kind goes through. Pure: no database, tested on its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation
from weibao.schools.models import School

K = Organisation.Kind
SK = School.Kind


class VenueKind(models.TextChoices):
    INTERNET_CAFE = "V01", _("internet café")
    SONG_DANCE = "V02", _("song-and-dance venue")
    ARCADE = "V03", _("amusement arcade")
    BAR = "V04", _("bar")
    ESPORTS_HOTEL = "V05", _("esports hotel")
    HOTEL = "V06", _("hotel or guesthouse")
    TOBACCO = "V07", _("tobacco retailer")
    ALCOHOL = "V08", _("alcohol retailer")
    LOTTERY = "V09", _("lottery outlet")
    SHOP = "V10", _("stationery or small shop")
    FOOD = "V11", _("food shop")
    SCRIPT_GAME = "V12", _("script-game venue")


V = VenueKind

# The unit kind that supervises each kind of venue. A police kind goes to the police station of
# the venue's township (the public-security bureau where there is none).
SUPERVISOR_KIND: dict[str, str] = {
    V.INTERNET_CAFE: K.CULTURE_TOURISM,
    V.SONG_DANCE: K.CULTURE_TOURISM,
    V.ARCADE: K.CULTURE_TOURISM,
    V.BAR: K.MARKET_REGULATION,
    V.ESPORTS_HOTEL: K.CULTURE_TOURISM,
    V.HOTEL: K.POLICE_STATION,
    V.TOBACCO: K.MARKET_REGULATION,
    V.ALCOHOL: K.MARKET_REGULATION,
    V.LOTTERY: K.MARKET_REGULATION,
    V.SHOP: K.MARKET_REGULATION,
    V.FOOD: K.MARKET_REGULATION,
    V.SCRIPT_GAME: K.CULTURE_TOURISM,
}
SUPERVISING_KINDS = frozenset({*SUPERVISOR_KIND.values(), K.PUBLIC_SECURITY})


def kinds_supervised_by(unit_kind: str) -> list[str]:
    """The venue kinds a unit of `unit_kind` supervises."""
    if unit_kind == K.PUBLIC_SECURITY:
        unit_kind = K.POLICE_STATION
    return [kind for kind, supervisor in SUPERVISOR_KIND.items() if supervisor == unit_kind]


# Primary and secondary schools: the schools of the national rule (互联网上网服务营业场所管理条例
# Art. 9: "中学、小学校园周围200米范围内").
PRIMARY_AND_SECONDARY = (SK.PRIMARY, SK.JUNIOR, SK.SENIOR, SK.NINE_YEAR)
NATIONAL_KIND = V.INTERNET_CAFE
NATIONAL_METRES = 200
NATIONAL_BASIS = "互联网上网服务营业场所管理条例（2022）第九条"


@dataclass(frozen=True)
class Item:
    """One line of an inspection's checklist."""

    code: str
    label: str | Promise
    basis: str = ""


NO_MINORS = Item("no_minors", _("No minors inside"))
SIGN = Item("sign", _("No-entry sign for minors at the entrance"))
SALE_SIGN = Item("sale_sign", _("Sign: no sales to minors"))
NO_SALES = Item("no_sales", _("No sales to minors"))

CHECKLISTS: dict[str, tuple[Item, ...]] = {
    V.INTERNET_CAFE: (
        Item("no_minors", _("No minors inside"), "条例第二十一条"),
        Item("sign", _("No-entry sign for minors at the entrance"), "条例第二十一条"),
        Item("hours", _("Open only 08:00–24:00"), "条例第二十二条"),
        Item("id_register", _("Every user's ID checked and registered"), "条例第二十三条"),
        Item("records_60", _("Registration records kept at least 60 days"), "条例第二十三条"),
    ),
    V.SONG_DANCE: (
        Item("no_minors", _("No minors inside"), "娱乐场所管理条例第二十三条"),
        Item("closed_night", _("Closed from 02:00 to 08:00"), "娱乐场所管理条例第二十八条"),
        Item("sign", _("No-entry sign for minors at the entrance"), "娱乐场所管理条例第三十条"),
        Item("no_minor_staff", _("No minors employed"), "娱乐场所管理条例第二十四条"),
    ),
    V.ARCADE: (
        Item("no_minor_games", _("Game machines not offered to minors outside statutory holidays"),
             "未成年人保护法第五十八条"),
        Item("sign", _("No-entry sign for minors at the entrance"), "娱乐场所管理条例第三十条"),
        Item("no_minor_staff", _("No minors employed"), "娱乐场所管理条例第二十四条"),
    ),
    V.BAR: (
        Item("no_minors", _("No minors inside"), "未成年人保护法第五十八条"),
        Item("sign", _("No-entry sign for minors at the entrance"), "未成年人保护法第五十八条"),
    ),
    V.ESPORTS_HOTEL: (
        Item("esports_closed", _("Esports rooms closed to minors"), "文化和旅游部、公安部通知"),
        Item("beds", _("At most 6 beds in an esports room"), "文化和旅游部、公安部通知"),
        Item("id_register", _("Every guest's ID checked and registered"),
             "未成年人保护法第五十七条"),
    ),
    V.HOTEL: (
        Item("id_register", _("Minor's ID checked and registered"), "五必须"),
        Item("guardian_contact", _("Guardian's contact details asked for"), "五必须"),
        Item("companions", _("Relationship of those staying with the minor asked"), "五必须"),
        Item("visitors", _("Visitors patrolled and managed"), "五必须"),
        Item("report", _("Suspicious cases reported at once, guardian contacted"), "五必须"),
    ),
    V.TOBACCO: (
        Item("no_sales", _("No sales to minors"), "未成年人保护法第五十九条"),
        Item("sale_sign", _("Sign: no sales to minors"), "未成年人保护法第五十九条"),
    ),
    V.ALCOHOL: (
        Item("no_sales", _("No sales to minors"), "未成年人保护法第五十九条"),
        Item("sale_sign", _("Sign: no sales to minors"), "未成年人保护法第五十九条"),
    ),
    V.LOTTERY: (
        Item("no_sales", _("No sales or payouts to minors"), "未成年人保护法第五十九条"),
        Item("sale_sign", _("Sign: no sales to minors"), "未成年人保护法第五十九条"),
    ),
    V.SHOP: (
        Item("no_knives", _("No controlled knives or dangerous items sold to minors"),
             "未成年人保护法第六十条"),
        Item("standards", _("Products for minors meet standards and carry warnings"),
             "未成年人保护法第五十五条"),
    ),
    V.FOOD: (
        Item("food_safety", _("Food aimed at minors safe and within its shelf life"),
             "未成年人保护法第五十五条"),
        Item("standards", _("Products for minors meet standards and carry warnings"),
             "未成年人保护法第五十五条"),
    ),
    V.SCRIPT_GAME: (
        Item("minor_hours", _("Minors admitted only on holidays and at the allowed hours"),
             "文化和旅游部通知"),
        Item("content", _("Scripts suitable for minors marked; none harmful to them"),
             "文化和旅游部通知"),
    ),
}  # fmt: skip
# Added to the checklist of a kind with a distance rule in force.
DISTANCE_ITEM = "distance"
DISTANCE_LABEL = pgettext_lazy("checklist", "No school within %(metres)d m")


class Outcome(models.TextChoices):
    """A checklist line's result."""

    OK = "ok", pgettext_lazy("check result", "complies")
    FAIL = "fail", pgettext_lazy("check result", "finding")
    NA = "na", pgettext_lazy("check result", "not applicable")


def checklist(kind: str, metres: int | None = None) -> list[Item]:
    """The checklist of an inspection of a venue of `kind`; with the distance rule in force for
    the kind (its metres), a line for it."""
    items = list(CHECKLISTS.get(kind, ()))
    if metres:
        items.append(Item(DISTANCE_ITEM, DISTANCE_LABEL % {"metres": metres}))
    return items


def item_labels() -> dict[str, str]:
    """Every item's label by code (for findings by item)."""
    labels: dict[str, str] = {DISTANCE_ITEM: str(pgettext_lazy("checklist", "distance rule"))}
    for items in CHECKLISTS.values():
        for item in items:
            labels.setdefault(item.code, str(item.label))
    return labels
