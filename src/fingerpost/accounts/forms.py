from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupDetailsForm(forms.Form):
    """Extra fields asked for on sign-up, after email and password."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        # allauth checks that the two passwords match only when the first one
        # passes its rules, so "too short" hid "do not match". Checked here,
        # before those rules run; allauth then skips its own check.
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The passwords do not match. Enter the same one twice"))
        return cleaned

    def signup(self, request: object, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
