"""The keyed, sharded chain (weibao.audit.chain).

The events written before it stay as they are: chain 0's legacy prefix (scheme 1, the unkeyed
SHA-256), numbered 1, 2, ... in id order, verified with the old formula; the old single head
becomes chain 0's head. Nothing is re-hashed: re-chaining with the key would bless any tampering
done before the migration. Run `manage.py audit_checkpoint` right after: the first checkpoint
signs the legacy tail and the prefix's length.
"""

from django.db import migrations, models

NUMBER = """
UPDATE audit_auditevent SET seq = numbered.position
FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM audit_auditevent) AS numbered
WHERE audit_auditevent.id = numbered.id
"""


def number_legacy(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    db = schema_editor.connection.alias
    # The old design had one head (pk 1): it becomes chain 0's; any other row is no head.
    first = ChainHead.objects.using(db).order_by("id").first()
    if first is not None:
        ChainHead.objects.using(db).exclude(pk=first.pk).delete()
    if not AuditEvent.objects.using(db).exists():
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(NUMBER)
    last = AuditEvent.objects.using(db).order_by("-seq").first()
    head = ChainHead.objects.using(db).order_by("id").first()
    if head is None:
        head = ChainHead(chain=0)
    head.chain = 0
    head.seq = last.seq
    head.last_hash = last.hash
    head.last_event_id = last.id
    head.save(using=db)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_id",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "SHA-256"), (2, "HMAC-SHA256"), (3, "HMAC-SM3")], default=1, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "SHA-256"), (2, "HMAC-SHA256"), (3, "HMAC-SM3")], default=2, editable=False
            ),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="last_event_id",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(number_legacy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="chainhead",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, unique=True),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_chain_seq_unique"
            ),
        ),
        # Fewer indexes to maintain on every audited write: the composite target index covers
        # target_type and target_id; a row's place is (chain, seq), not its hash.
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="target_type",
            field=models.CharField(blank=True, max_length=60, verbose_name="record type"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="target_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="record id"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "login"),
                    ("login_failed", "failed login"),
                    ("logout", "logout"),
                    ("locked_out", "locked out"),
                    ("view", "view"),
                    ("search", "search"),
                    ("create", "create"),
                    ("update", "update"),
                    ("delete", "delete"),
                    ("export", "export"),
                    ("reveal", "reveal"),
                    ("download", "download"),
                    ("upload", "upload"),
                    ("password", "password change"),
                    ("otp", "one-time code"),
                    ("restore", "restore from backup"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["action"], name="audit_action_idx"),
        ),
    ]
