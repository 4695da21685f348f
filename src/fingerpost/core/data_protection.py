"""Subject access and erasure over every app's personal data.

Each app registers where it keeps residents' data (`registry.add_personal_data`).
Staff search by email address or phone number and see every record that
matches, from every source, with what it matched on; two people can share a
phone or an address, so staff tick the records that are this person's, and
only those are exported or erased. Searches, exports and erasures are audited.
"""

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from . import audit, registry
from .errors import Invalid
from .models import AuditAction
from .text import phone_number
from .views import signed_in_user


class LookupForm(forms.Form):
    email = forms.CharField(label="Their email address", required=False, max_length=254)
    phone = forms.CharField(label="Their phone number", required=False, max_length=30)

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email", "")).strip().lower()

    def clean_phone(self) -> str:
        typed = self.cleaned_data.get("phone", "")
        phone = phone_number(typed)
        if typed.strip() and len(phone.lstrip("+")) < 10:
            raise forms.ValidationError("Enter a phone number, like 01305 123456 or 07700 900982")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "phone" not in self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError("Enter the person's email address or phone number")
        return cleaned


def find_everywhere(*, email: str, phone: str) -> list[tuple[Any, list[registry.PersonalRecord]]]:
    found = []
    for source in registry.personal_data_sources():
        try:
            records = source.find(email=email, phone=phone)
        except Invalid:
            records = []
        found.append((source, records))
    return found


def _chosen(request: HttpRequest, found: list[tuple[Any, list[Any]]]) -> dict[Any, list[str]]:
    """The ticked records, by source; only records this search found count."""
    ticked = set(request.POST.getlist("record"))
    chosen: dict[Any, list[str]] = {}
    for source, records in found:
        keys = [r.key for r in records if f"{source.name}:{r.key}" in ticked]
        if keys:
            chosen[source] = keys
    return chosen


@never_cache
@login_required
@permission_required("core.data_protection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def data_protection(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "core/data_protection.html", context, status=400 if form.errors else 200
        )
    by = signed_in_user(request)
    lookup = {"email": form.cleaned_data["email"], "phone": form.cleaned_data["phone"]}
    found = find_everywhere(**lookup)
    action = request.POST.get("action", "find")
    audit.record(
        actor=by,
        action=AuditAction.VIEW,
        subject_type="personal_data",
        reference="search",
        detail=f"subject access search ({action}): {sum(len(r) for _, r in found)} found",
    )
    context.update(found=found, lookup=lookup, total=sum(len(r) for _, r in found))
    if action in ("export", "erase"):
        chosen = _chosen(request, found)
        if not chosen:
            context["choose_error"] = "Tick the records that are this person's"
            return render(request, "core/data_protection.html", context, status=400)
        if action == "export":
            export = {
                "generated_at": timezone.now().isoformat(),
                "records": {
                    source.label: source.export(keys=keys, by=by) for source, keys in chosen.items()
                },
            }
            response = JsonResponse(export, json_dumps_params={"indent": 2, "default": str})
            response["Content-Disposition"] = 'attachment; filename="subject-access-export.json"'
            return response
        if request.POST.get("confirm") != "yes":
            context["choose_error"] = "Confirm that you want to erase the ticked records"
            return render(request, "core/data_protection.html", context, status=400)
        erased = sum(source.erase(keys=keys, by=by) for source, keys in chosen.items())
        messages.success(request, f"Personal data removed from {erased} record(s)")
        return redirect("core:data_protection")
    context["found_json"] = json.dumps(lookup)
    return render(request, "core/data_protection.html", context)
