"""Phone numbers stored before they were written one way (digits only, a UK
+44 or 0044 prefix as 0) are rewritten, so subject-access lookups find them."""

from django.db import migrations


def _one_way(value: str) -> str:
    # A copy of fingerpost.core.text.phone_number as it was when this ran.
    kept = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    international = kept.startswith("+") or kept.startswith("00")
    digits = kept.lstrip("+").removeprefix("00") if international else kept
    digits = digits.replace("+", "")
    if international and digits.startswith("44"):
        return "0" + digits[2:]
    return ("+" + digits) if international else digits


def rewrite_phone_numbers(apps, schema_editor):
    HelpRequest = apps.get_model("helpdesk", "HelpRequest")
    changed = []
    for request in HelpRequest.objects.exclude(phone="").only("pk", "phone").iterator():
        phone = _one_way(request.phone)
        if phone != request.phone:
            request.phone = phone
            changed.append(request)
        if len(changed) >= 1000:
            HelpRequest.objects.bulk_update(changed, ["phone"])
            changed = []
    HelpRequest.objects.bulk_update(changed, ["phone"])


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0004_email_wording")]

    operations = [migrations.RunPython(rewrite_phone_numbers, migrations.RunPython.noop)]
