"""The default retention rules (the county coordinator changes them: a change closes a rule and
opens a new one)."""

from django.db import migrations

DEFAULTS = [
    # Audit events: 3 years (never under 183 days: 网络安全法's six months of logs); reported.
    ("audit_events", 3 * 365 + 1, "report", "《网络安全法》：网络日志留存不少于六个月"),
    # Closed at-risk files: erased 5 years after the child turns 18.
    ("atrisk_files", 5 * 365 + 1, "erase", "个人信息保护法第十九条、第四十七条"),
    # Closed mandatory reports: archived 5 years after the child turns 18.
    ("cases", 5 * 365 + 1, "archive", "个人信息保护法第十九条"),
    # Record-check results: the checked person's data erased after 3 years.
    ("check_items", 3 * 365 + 1, "erase", "个人信息保护法第十九条、第四十七条"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("retention", "RetentionRule")
    for kind, days, action, reason in DEFAULTS:
        if not Rule.objects.filter(kind=kind, valid_to__isnull=True).exists():
            Rule.objects.create(kind=kind, keep_days=days, action=action, reason=reason)


def unseed(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.filter(set_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
