from typing import Any

from django import forms

from . import queries
from .models import Organisation


class JoinForm(forms.Form):
    """Ask to join the organisation you work or volunteer for."""

    organisation = forms.ModelChoiceField(
        label="Which organisation do you work or volunteer for?",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation you work or volunteer for",
            "invalid_choice": "Choose the organisation you work or volunteer for",
        },
    )
    job_title = forms.CharField(
        label="Your job title or role",
        help_text="So the person approving you knows who you are.",
        max_length=200,
        error_messages={"required": "Enter your job title or role"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.organisations_to_join(user)
