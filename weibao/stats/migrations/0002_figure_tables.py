"""The figure cache holds one row per definition, period and category (every division in it),
not one per cell. It is a cache: the old rows are dropped, the next read or recompute fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="FigureCache"),
        migrations.CreateModel(
            name="FigureCache",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=80)),
                ("period", models.CharField(max_length=16)),
                ("category", models.CharField(blank=True, default="", max_length=60)),
                ("figures", models.JSONField(default=dict)),
                ("computed_at", models.DateTimeField()),
                ("sources_version", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "period", "category"), name="stats_figures_one"
                    )
                ]
            },
        ),
    ]
