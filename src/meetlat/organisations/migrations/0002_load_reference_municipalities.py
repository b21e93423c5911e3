"""Load the bundled CBS municipality list (reference date 1 January 2026).

Later years add a new reference date with `meetlat load-municipalities FILE --reference-date D`.
"""

from django.db import migrations

from meetlat.organisations.reference import BUNDLED_FILE, BUNDLED_REFERENCE_DATE, reference_rows


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("organisations", "ReferenceMunicipality")
    existing = set(
        model.objects.filter(reference_date=BUNDLED_REFERENCE_DATE).values_list(
            "cbs_code", flat=True
        )
    )
    model.objects.bulk_create(
        model(reference_date=BUNDLED_REFERENCE_DATE, **row)
        for row in reference_rows(BUNDLED_FILE)
        if row["cbs_code"] not in existing
    )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("organisations", "ReferenceMunicipality").objects.filter(
        reference_date=BUNDLED_REFERENCE_DATE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
