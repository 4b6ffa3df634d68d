"""The national distance rule: no internet café within 200 m of a primary or secondary school
(互联网上网服务营业场所管理条例 Art. 9), in force since the regulation of 2002."""

from datetime import date

from django.db import migrations

SCHOOL_KINDS = ["primary", "junior", "senior", "nine_year"]


def seed(apps, schema_editor):
    DistanceRule = apps.get_model("venues", "DistanceRule")
    if not DistanceRule.objects.filter(kind="V01").exists():
        DistanceRule.objects.create(
            kind="V01",
            school_kinds=SCHOOL_KINDS,
            metres=200,
            valid_from=date(2002, 11, 15),
            national=True,
            basis="互联网上网服务营业场所管理条例（2022）第九条",
        )


def unseed(apps, schema_editor):
    apps.get_model("venues", "DistanceRule").objects.filter(kind="V01", national=True).delete()


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
