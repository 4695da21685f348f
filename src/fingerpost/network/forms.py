"""Input for the network's pages. The rules themselves live in the services;
these only parse what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from fingerpost.accounts.models import User
from fingerpost.core.forms import EmailAddressField

from . import queries
from .models import Board, BoardList, Label, Profile
from .services.resources import ALLOWED_NAMES, STANDARD_POINTS

SERVICE_STANDARD = [
    (1, "1. Understand users and their needs"),
    (2, "2. Solve a whole problem for users"),
    (3, "3. Provide a joined up experience across all channels"),
    (4, "4. Make the service simple to use"),
    (5, "5. Make sure everyone can use the service"),
    (6, "6. Have a multidisciplinary team"),
    (7, "7. Use agile ways of working"),
    (8, "8. Iterate and improve frequently"),
    (9, "9. Create a secure service which protects users' privacy"),
    (10, "10. Define what success looks like and publish performance data"),
    (11, "11. Choose the right tools and technology"),
    (12, "12. Make new source code open"),
    (13, "13. Use and contribute to open standards, common components and patterns"),
    (14, "14. Operate a reliable service"),
]
assert [n for n, _label in SERVICE_STANDARD] == list(STANDARD_POINTS)


class ListChoiceField(forms.ModelChoiceField):
    """A list of the board by its id; an id too large for the database is
    simply not one of the choices."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit() and int(value) > queries.LARGEST_ID:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


def _field(form: forms.BaseForm, name: str) -> Any:
    """A field whose choices or queryset depend on the data (typed loosely)."""
    return form.fields[name]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, skill or interest"),
        help_text=_("For example, accessibility testing."),
        required=False,
        max_length=100,
    )
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "discipline").choices = [("", _("Any discipline"))] + [
            (d.slug, d.name) for d in queries.disciplines()
        ]
        _field(self, "organisation").choices = [("", _("Any organisation"))] + [
            (o.slug, o.name) for o in queries.organisations_in_network()
        ]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "job_title",
            "discipline",
            "skills",
            "interests",
            "ask_me_about",
            "phone",
            "listed",
            "show_email",
            "show_phone",
        ]
        help_texts = {
            "skills": _(
                "Separate them with commas. For example, user research, accessibility testing."
            ),
            "ask_me_about": _("What colleagues can come to you for."),
            "listed": _("Other verified members find you by name, discipline and skills."),
        }
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "ask_me_about": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
            ),
        }


class ChoicesForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["email_mentions", "email_replies", "email_followed", "weekly_digest"]


class OrganisationOfferForm(forms.Form):
    offers = forms.CharField(
        label=_("What your organisation offers the network"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=200)
    contact_email = EmailAddressField(label=_("Contact email address"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "class": "govuk-input--width-20"}),
    )


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it is for (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    discipline = forms.ModelChoiceField(
        label=_("Discipline (optional)"),
        queryset=queries.disciplines(),
        required=False,
        empty_label=_("None"),
    )


class _RecentResources(ModelChoiceIterator):
    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        self.queryset = queries.recent_resource_choices()


class LibraryChoiceField(forms.ModelChoiceField):
    """Any resource in the library, by its short name; the list offers the
    most recently shared or changed (queries.RESOURCES_OFFERED)."""

    iterator = _RecentResources


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        help_text=_("Mention someone with @ and their name for mentions, for example @jane-smith."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
    )
    link = forms.CharField(label=_("Link (optional)"), required=False, max_length=500)
    resource = LibraryChoiceField(
        label=_("Resource from the library (optional)"),
        help_text=_("The most recently shared; for an older one, give its address as the link."),
        queryset=queries.resource_choices(),
        required=False,
        to_field_name="slug",
        empty_label=_("None"),
    )


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    link = forms.CharField(label=_("Link (optional)"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    url = forms.CharField(
        label=_("Link"),
        help_text=_("Leave empty if you upload a file."),
        required=False,
        max_length=500,
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        help_text=_("Separate them with commas."),
        required=False,
        max_length=500,
    )
    discipline = forms.ModelChoiceField(
        label=_("Discipline (optional)"),
        queryset=queries.disciplines(),
        required=False,
        empty_label=_("None"),
    )
    standard_points = forms.TypedMultipleChoiceField(
        label=_("Service Standard points it relates to (optional)"),
        choices=SERVICE_STANDARD,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, editing_file: bool | None = None, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("{types}; up to {mb} MB.").format(
            types=ALLOWED_NAMES, mb=settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB
        )
        if editing_file is not None:
            del self.fields["file"]
            if editing_file:
                del self.fields["url"]
            else:
                self.fields["url"].required = True
                self.fields["url"].help_text = ""


class ReplaceFileForm(forms.Form):
    file = forms.FileField(label=_("New version of the file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("{types}; up to {mb} MB.").format(
            types=ALLOWED_NAMES, mb=settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB
        )


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=100)
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    point = forms.TypedChoiceField(
        label=_("Service Standard point"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "discipline").choices = [("", _("Any discipline"))] + [
            (d.slug, d.name) for d in queries.disciplines()
        ]
        _field(self, "point").choices = [("", _("Any point")), *SERVICE_STANDARD]


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class TitleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name of the new list"), max_length=200)


class CardForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
    )
    due_at = forms.DateField(
        label=_("Due date (optional)"),
        help_text=_("For example, 27 3 2026 or 2026-03-27."),
        required=False,
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
    )


class NewCardForm(CardForm):
    list = ListChoiceField(label=_("List"), queryset=BoardList.objects.none(), empty_label=None)

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "list").queryset = queries.open_lists(board)


class EditCardForm(CardForm):
    due_done = forms.BooleanField(label=_("Done by its due date"), required=False)
    labels = forms.ModelMultipleChoiceField(
        label=_("Labels"),
        queryset=Label.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        help_text=_("Members of the initiative."),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "labels").queryset = queries.board_labels(board)
        _field(self, "people").queryset = queries.initiative_people(board.initiative)
        _field(self, "people").label_from_instance = lambda user: user.full_name or user.email
        _field(self, "labels").label_from_instance = lambda label: label.name or label.colour


class MoveCardForm(forms.Form):
    list = ListChoiceField(
        label=_("Move to list"), queryset=BoardList.objects.none(), empty_label=None
    )
    position = forms.IntegerField(
        label=_("Position in the list"),
        help_text=_("1 is the top. Leave empty for the bottom."),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "list").queryset = queries.open_lists(board)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )


class ChecklistItemForm(forms.Form):
    text = forms.CharField(label=_("New checklist item"), max_length=1000)


class AttachmentForm(forms.Form):
    resource = LibraryChoiceField(
        label=_("A resource from the library"),
        help_text=_("The most recently shared; for an older one, give its address as the link."),
        queryset=queries.resource_choices(),
        required=False,
        to_field_name="slug",
        empty_label=_("None"),
    )
    url = forms.CharField(label=_("Or a link"), required=False, max_length=1000)
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Board exported from Trello"),
        help_text=_(
            "In Trello, open the board menu, choose Print, export and share, then Export as JSON."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the network"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Only"),
        choices=[("", _("Everything")), *queries.SEARCH_KINDS.items(), ("event", _("Events"))],
        required=False,
    )
