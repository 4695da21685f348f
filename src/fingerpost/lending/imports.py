"""Import devices from a CSV or Excel file: every row is checked by the same
rule as the add-a-device page, and either every row goes in or none does,
with a report of the rows that failed and why."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fingerpost.accounts.models import User
from fingerpost.core.errors import Invalid, ServiceError
from fingerpost.organisations.models import Organisation

from . import services
from .models import Condition, DeviceKind

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = (
    "asset_tag",
    "kind",
    "branch",
    "serial_number",
    "make",
    "model",
    "condition",
    "notes",
    "sim_allowance_gb",
    "sim_expires_on",
)


@dataclass
class ImportReport:
    imported: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _rows_of(name: str, content: bytes) -> list[dict[str, Any]]:
    if len(content) > MAX_BYTES:
        raise Invalid("The file is larger than 5 MB", field="file")
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
        except Exception as error:  # any unreadable workbook is the same to the person
            raise Invalid(
                "The file could not be read as an Excel workbook", field="file"
            ) from error
        if not rows:
            return []
        header = [str(cell or "").strip().lower() for cell in rows[0]]
        return [dict(zip(header, row, strict=False)) for row in rows[1:]]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(
            "The file must be a CSV in UTF-8, or an Excel .xlsx file", field="file"
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    return list(reader)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid(f"'{text}' is not a date like 2027-03-31 or 31/03/2027")


def _branch(value: Any, branches: dict[str, Organisation]) -> Organisation:
    key = _text(value).lower()
    if not key:
        raise Invalid("The branch is missing")
    if key not in branches:
        raise Invalid(f"'{_text(value)}' is not a branch you look after")
    return branches[key]


def _kind(value: Any) -> str:
    text = _text(value).lower().replace(" ", "_")
    labels = {str(label).lower().replace(" ", "_"): kind for kind, label in DeviceKind.choices}
    kind = text if text in DeviceKind.values else labels.get(text, "")
    if not kind:
        raise Invalid(
            f"'{_text(value)}' is not a type of device (use {', '.join(DeviceKind.values)})"
        )
    return kind


def _details(row: dict[str, Any], branches: dict[str, Organisation]) -> services.DeviceDetails:
    allowance = _text(row.get("sim_allowance_gb"))
    if allowance and not allowance.isdigit():
        raise Invalid(f"'{allowance}' is not a whole number of GB")
    condition = _text(row.get("condition")).lower() or Condition.GOOD
    if condition not in Condition.values:
        raise Invalid(f"'{condition}' is not a condition (use good, fair or damaged)")
    return services.DeviceDetails(
        asset_tag=_text(row.get("asset_tag")),
        kind=_kind(row.get("kind")),
        branch=_branch(row.get("branch"), branches),
        serial_number=_text(row.get("serial_number")),
        make=_text(row.get("make")),
        model=_text(row.get("model")),
        condition=condition,
        notes=_text(row.get("notes")),
        sim_allowance_gb=int(allowance) if allowance else None,
        sim_expires_on=_date(row.get("sim_expires_on")),
    )


class _RollBack(Exception):
    pass


def import_devices(
    *, name: str, content: bytes, branches: QuerySet[Organisation], by: User | None
) -> ImportReport:
    """Branches are matched by name or slug among those given (the person's)."""
    rows = _rows_of(name, content)
    if not rows:
        raise Invalid("The file has no rows of devices under a header row", field="file")
    if len(rows) > MAX_ROWS:
        raise Invalid(f"The file has more than {MAX_ROWS} rows: split it", field="file")
    missing = {"asset_tag", "kind", "branch"} - set(rows[0])
    if missing:
        raise Invalid(f"The header row has no {', '.join(sorted(missing))} column", field="file")
    by_key: dict[str, Organisation] = {}
    for branch in branches:
        by_key[branch.name.strip().lower()] = branch
        by_key[branch.slug.lower()] = branch
    report = ImportReport()
    seen: set[str] = set()
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                if not any(_text(value) for value in row.values()):
                    continue
                try:
                    details = _details(row, by_key)
                    tag = details.asset_tag.strip().upper()
                    if tag in seen:
                        raise Invalid("The asset tag is on an earlier row too")
                    seen.add(tag)
                    # A savepoint per row: a refused row leaves the others intact
                    # until the end decides.
                    with transaction.atomic():
                        services.add_device(details=details, by=by)
                    report.imported += 1
                except ServiceError as error:
                    report.failures.append((number, error.message))
            if report.failures:
                raise _RollBack
    except _RollBack:
        report.imported = 0
    return report
