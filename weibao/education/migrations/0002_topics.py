"""The county's starting topic list (the issue's list); the county edits it afterwards."""

from django.db import migrations

TOPICS = (
    "预防校园欺凌",
    "预防性侵害",
    "防溺水",
    "防范电信网络诈骗",
    "反拐卖",
    "网络安全",
    "禁毒",
    "预防未成年人犯罪法",
    "自我保护",
    "家庭教育",
)


def add_topics(apps, schema_editor):
    Topic = apps.get_model("education", "Topic")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position})


def remove_topics(apps, schema_editor):
    Topic = apps.get_model("education", "Topic")
    Topic.objects.filter(name__in=TOPICS, sessions__isnull=True, cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
