"""One form-rendering layer: every Django form (ours and allauth's) renders
as GOV.UK Design System markup with labels, hints and inline errors."""

from typing import Any

from django import forms
from django.forms import Form
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget

from .errors import Invalid
from .text import email_address

# GOV.UK class for each Django widget type, by BoundField.widget_type.
_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
GROUPED_WIDGETS = frozenset({"radioselect", "checkboxselectmultiple"})


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        # GOV.UK guidance: placeholders are not labels and vanish as you type.
        attrs["placeholder"] = False  # False drops the attribute when rendered
        govuk_class = _WIDGET_CLASSES.get(self.widget_type, "govuk-input")
        classes = [govuk_class]
        if self.errors and govuk_class in _ERROR_CLASSES:
            classes.append(_ERROR_CLASSES[govuk_class])
        existing = str(attrs.get("class") or "")
        attrs["class"] = " ".join([*classes, existing]).strip()
        if self.widget_type not in GROUPED_WIDGETS:
            described_by = str(attrs.get("aria-describedby") or "").split()
            # Django 5.2 already names its own error id here; add it only if missing.
            if self.errors and self.error_id not in described_by:
                described_by.append(self.error_id)
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)
        return attrs

    @property
    def hint_id(self) -> str:
        # Django's own id for the help text, which it already puts in aria-describedby.
        return f"{self.auto_id}_helptext"

    @property
    def error_id(self) -> str:
        # The id Django itself uses for a field's errors in aria-describedby.
        return f"{self.auto_id}_error"

    @property
    def is_grouped(self) -> bool:
        return self.widget_type in GROUPED_WIDGETS

    @property
    def summary_href(self) -> str:
        """Where the error summary links to: the first input of the field."""
        if self.is_grouped:
            return f"#{self.auto_id}_0"
        return f"#{self.id_for_label or self.auto_id}"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


def error_summary_items(form: Form) -> list[dict[str, str]]:
    """The GOV.UK error summary's list: each error links to its field."""
    items: list[dict[str, str]] = []
    fields = list(form)
    # An error about the whole form leads to its first field a person can use.
    visible = form.visible_fields()
    first_href = getattr(visible[0], "summary_href", "") if visible else ""
    for error in form.non_field_errors():
        items.append({"text": str(error), "href": first_href})
    for field in fields:
        for error in field.errors:
            href = getattr(field, "summary_href", f"#{field.auto_id}")
            items.append({"text": str(error), "href": href})
    return items


class EmailAddressField(forms.CharField):
    """An email address box, checked by the same rule as the API and the
    services (`core.text.email_address`); empty is allowed when not required."""

    widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return email_address(value)
        except Invalid as error:
            raise forms.ValidationError(error.message, code="invalid") from None
