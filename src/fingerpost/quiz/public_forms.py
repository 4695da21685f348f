"""What players type: the join code and a nickname."""

from django import forms

from .services.live import NICKNAME_MAX


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Quiz code",
        help_text="The 6 numbers on the big screen",
        max_length=20,
        error_messages={"required": "Enter the quiz code"},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "govuk-input--width-10"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 numbers of the quiz code")
        return code


class NicknameForm(forms.Form):
    nickname = forms.CharField(
        label="Your nickname",
        help_text="Everyone in the room will see it on the big screen",
        max_length=200,
        error_messages={"required": "Enter a nickname"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "nickname",
                "spellcheck": "false",
                "class": "govuk-input--width-20",
                "maxlength": str(NICKNAME_MAX),
            }
        ),
    )


class AnswerForm(forms.Form):
    position = forms.IntegerField(min_value=0, max_value=1000)
    choice = forms.IntegerField(min_value=1, max_value=2**31 - 1)
