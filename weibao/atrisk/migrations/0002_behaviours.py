"""The law's behaviour codes (预防未成年人犯罪法 Art. 28 and 38) and the first grading rules."""

from django.db import migrations

BEHAVIOURS = [
    ("BL01", "misconduct", "吸烟、饮酒", "smoking or drinking"),
    ("BL02", "misconduct", "多次旷课、逃学", "repeated truancy"),
    ("BL03", "misconduct", "无故夜不归宿、离家出走", "staying out overnight or running away"),
    ("BL04", "misconduct", "沉迷网络", "internet addiction"),
    ("BL05", "misconduct", "与社会上具有不良习性的人交往，组织或者参加实施不良行为的团伙",
     "associating with bad influences; joining a misconduct gang"),
    ("BL06", "misconduct", "进入法律法规规定未成年人不宜进入的场所",
     "entering venues off-limits to minors"),
    ("BL07", "misconduct", "参与赌博、变相赌博，或者参加封建迷信、邪教等活动",
     "gambling; superstition or cult activities"),
    ("BL08", "misconduct", "阅览、观看或者收听宣扬淫秽、色情、暴力、恐怖、极端等内容的读物、音像制品或者网络信息",
     "consuming obscene, violent, terrorist or extremist content"),
    ("BL09", "misconduct", "其他不利于未成年人身心健康成长的不良行为", "other harmful behaviour"),
    ("SB00", "serious", "实施有刑法规定、因不满法定刑事责任年龄不予刑事处罚的行为",
     "criminal-law conduct below the age of criminal responsibility"),
    ("SB01", "serious", "结伙斗殴，追逐、拦截他人，强拿硬要或者任意损毁、占用公私财物等寻衅滋事行为",
     "group fighting, chasing, extortion, damaging property (provocation)"),
    ("SB02", "serious", "非法携带枪支、弹药或者弩、匕首等国家规定的管制器具",
     "carrying guns, ammunition or controlled implements"),
    ("SB03", "serious", "殴打、辱骂、恐吓，或者故意伤害他人身体",
     "beating, insulting, intimidating, intentional injury"),
    ("SB04", "serious", "盗窃、哄抢、抢夺或者故意损毁公私财物",
     "theft, looting, snatching, wilful damage"),
    ("SB05", "serious", "传播淫秽的读物、音像制品或者信息", "spreading obscene material"),
    ("SB06", "serious", "卖淫、嫖娼，或者进行淫秽表演", "prostitution or obscene performance"),
    ("SB07", "serious", "吸食、注射毒品，或者向他人提供毒品", "drug use or supplying drugs"),
    ("SB08", "serious", "参与赌博赌资较大", "gambling with large stakes"),
    ("SB09", "serious", "其他严重危害社会的行为", "other seriously harmful acts"),
]


def forwards(apps, schema_editor):
    Behaviour = apps.get_model("atrisk", "Behaviour")
    for code, kind, zh, en in BEHAVIOURS:
        Behaviour.objects.update_or_create(
            code=code, defaults={"kind": kind, "name_zh": zh, "name_en": en}
        )
    GradingRuleSet = apps.get_model("atrisk", "GradingRuleSet")
    if not GradingRuleSet.objects.exists():
        GradingRuleSet.objects.create(version=1, is_active=True, note="initial rules")


def backwards(apps, schema_editor):
    apps.get_model("atrisk", "Behaviour").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("atrisk", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
