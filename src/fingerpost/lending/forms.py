"""Input for the lending staff pages. Choices of branch come from the
branches the person looks after (queries.branches_for)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fingerpost.core.forms import EmailAddressField
from fingerpost.organisations.models import Organisation

from .models import AgreementKind, Condition, DeviceKind, DeviceStatus

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=_("For example, 25/12/2026."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, like 25/12/2026"),
        },
    )


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def branch_field(branches: QuerySet[Organisation], *, label: str, required: bool = True) -> Any:
    return BranchChoiceField(
        queryset=branches.order_by("name"),
        label=label,
        required=required,
        empty_label=_("Any branch") if not required else None,
        error_messages={"required": _("Choose the branch"), "invalid_choice": _("Choose a branch")},
    )


class InventoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Asset tag or serial number"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *DeviceStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *DeviceKind.choices], required=False
    )

    def __init__(self, *args: Any, branches: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"] = branch_field(branches, label=str(_("Branch")), required=False)


class DeviceForm(forms.Form):
    asset_tag = forms.CharField(
        label=_("Asset tag"),
        max_length=40,
        error_messages={"required": _("Enter the asset tag")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=DeviceKind.choices,
        error_messages={"required": _("Choose a type of device")},
    )
    make = forms.CharField(label=_("Make"), max_length=80, required=False)
    model = forms.CharField(label=_("Model"), max_length=80, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=80, required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Condition.choices, initial=Condition.GOOD
    )
    sim_allowance_gb = forms.IntegerField(
        label=_("Data allowance in GB (data SIMs only)"),
        required=False,
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    sim_expires_on = date_field(str(_("SIM expiry date (data SIMs only)")), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=2000
    )

    def __init__(self, *args: Any, branches: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"] = branch_field(branches, label=str(_("Home branch")))
        self.order_fields(["asset_tag", "kind", "branch"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("A CSV or Excel (.xlsx) file"),
        help_text=_(
            "One device a row, with the columns asset_tag, kind, branch, and optionally "
            "serial_number, make, model, condition, notes, sim_allowance_gb, sim_expires_on."
        ),
        error_messages={"required": _("Choose a file to import")},
    )


class BorrowerForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages={"required": _("Enter the name")}
    )
    email = EmailAddressField(label=_("Email address"), required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("A mobile number gets notices by text when there is no email address."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    library_card = forms.CharField(label=_("Library card number (optional)"), required=False)
    address = forms.CharField(
        label=_("Address (for home loans)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referral = forms.CharField(
        label=_("Referred by (optional)"),
        required=False,
        max_length=200,
        help_text=_("Who referred them, such as a job centre or a GP surgery."),
    )

    def __init__(self, *args: Any, branches: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"] = branch_field(branches, label=str(_("Registered at")))


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, reference, email, phone or library card"), required=False, max_length=150
    )


class HoldForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of device"),
        choices=DeviceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a type of device")},
    )

    def __init__(self, *args: Any, branches: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"] = branch_field(branches, label=str(_("Collect from")))


class IssueForm(forms.Form):
    borrower = forms.CharField(
        label=_("Borrower's reference"),
        max_length=12,
        help_text=_("It starts with B, like B7K2M9Q. Find it on the borrowers page."),
        error_messages={"required": _("Enter the borrower's reference")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    agreement = forms.ChoiceField(
        label=_("How did the borrower accept the loan agreement?"),
        choices=AgreementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the borrower accepted the loan agreement")},
    )
    witnessed_by = forms.CharField(
        label=_("Who witnessed the signature (paper only)"), required=False, max_length=150
    )
    condition = forms.ChoiceField(label=_("Condition as it leaves"), choices=Condition.choices)


class RenewForm(forms.Form):
    """A button: nothing to fill in."""


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("Condition as it came back"),
        choices=Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the condition the device came back in")},
    )
    missing_parts = forms.CharField(
        label=_("Missing parts (if any)"),
        required=False,
        max_length=300,
        help_text=_("For example, the charger or the case."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea
    )


class LostForm(forms.Form):
    prefix = "lost"  # shares a page with other forms

    notes = forms.CharField(
        label=_("What happened"), required=False, max_length=2000, widget=forms.Textarea
    )


class WipeCheckForm(forms.Form):
    prefix = "wipe"  # shares a page with other forms

    wiped = forms.BooleanField(
        label=_("The last borrower's data, accounts and files are wiped"),
        required=False,
    )
    checked = forms.BooleanField(
        label=_("It works, is charged and has all its parts"),
        required=False,
    )
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Condition.choices,
        help_text=_("A damaged device goes for repair instead of back on the shelf."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class ServiceForm(forms.Form):
    prefix = "service"  # shares a page with other forms

    status = forms.ChoiceField(
        label=_("Why is it out of service?"),
        choices=[
            (DeviceStatus.IN_REPAIR, _("Sent for repair")),
            (DeviceStatus.LOST, _("Lost")),
            (DeviceStatus.RETIRED, _("Retired")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the device is out of service")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class BookingForm(forms.Form):
    prefix = "booking"  # shares a page with other forms

    starts_on = date_field(str(_("First day")))
    ends_on = date_field(str(_("Last day")))
    purpose = forms.CharField(
        label=_("What is it for?"),
        max_length=200,
        help_text=_("For example, the Tuesday code club at Weymouth library."),
        error_messages={"required": _("Say what the device is booked for")},
    )


class RuleForm(forms.Form):
    loan_days = forms.IntegerField(label=_("Loan length in days"), min_value=1, max_value=365)
    renewals_allowed = forms.IntegerField(label=_("Renewals allowed"), min_value=0, max_value=20)
    renew_within_days = forms.IntegerField(
        label=_("How many days before the due date a renewal is possible"),
        min_value=0,
        max_value=365,
    )
    per_borrower = forms.IntegerField(
        label=_("Devices of this type one borrower may have"), min_value=1, max_value=10
    )
    referral_required = forms.BooleanField(label=_("Lent only with a referral"), required=False)
    hold_days = forms.IntegerField(
        label=_("Days a device is held for collection"), min_value=1, max_value=60
    )
