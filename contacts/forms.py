"""Forms for stakeholder pages: shape and field validation only (writes go through services)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contacts.choices import ImportKind
from contacts.models import Organization, Person
from core.forms import VersionedFormMixin
from core.roles import Role, has_role
from trade.models import Pillar, State


def _split_tags(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _staff_users():
    return get_user_model().objects.filter(is_active=True).order_by("username")


def _owner_field_for(form: forms.ModelForm, user) -> None:
    """Only Leads and Admins pick the owner; others see it read-only (and the services ignore it)."""
    field = form.fields["owner"]
    field.queryset = _staff_users()
    if user is not None and not has_role(user, Role.LEAD):
        field.disabled = True
        field.help_text = _("New records are yours; a Lead can hand a record to someone else.")


class PersonForm(VersionedFormMixin, forms.ModelForm):
    states = forms.ModelMultipleChoiceField(
        queryset=State.objects.filter(is_pseudo=False), required=False, label=_("States"),
        help_text=_("States of jurisdiction or operation (hold Ctrl or ⌘ to pick several)."),
    )  # fmt: skip
    pillars = forms.ModelMultipleChoiceField(
        queryset=Pillar.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Pillars")
    )
    tags = forms.CharField(required=False, label=_("Tags"), help_text=_("Comma-separated."))
    stance_reason = forms.CharField(
        required=False, label=_("Why this stance?"), help_text=_("Recorded in the stance history when it changes.")
    )
    email = forms.EmailField(required=False, label=_("Email"))
    phone = forms.CharField(required=False, max_length=40, label=_("Phone"))
    confirm_duplicate = forms.BooleanField(
        required=False, label=_("This is a different person: save anyway"),
    )  # fmt: skip

    class Meta:
        model = Person
        fields = [
            "honorific", "first_name", "middle_name", "last_name", "suffix", "preferred_name", "kind", "title",
            "bio", "stance", "influence", "influence_rationale", "owner", "notes",
        ]  # fmt: skip
        widgets = {"bio": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _owner_field_for(self, user)
        if self.instance.pk:
            # Contact points of an existing person are managed on their page, not here.
            del self.fields["email"], self.fields["phone"]
            self.initial.setdefault("states", list(self.instance.states.all()))
            self.initial.setdefault("pillars", list(self.instance.pillars.all()))
            self.initial.setdefault("tags", ", ".join(t.name for t in self.instance.tags.all()))

    def clean(self):
        data = super().clean()
        influence, rationale = data.get("influence"), data.get("influence_rationale")
        if influence and influence >= 4 and not rationale:
            self.add_error("influence_rationale", _("Say why this person's influence is 4 or 5."))
        return data

    def tag_names(self) -> list[str]:
        return _split_tags(self.cleaned_data.get("tags", ""))

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class OrganizationForm(VersionedFormMixin, forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))
    pillars = forms.ModelMultipleChoiceField(
        queryset=Pillar.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Pillars")
    )
    tags = forms.CharField(required=False, label=_("Tags"), help_text=_("Comma-separated."))
    confirm_duplicate = forms.BooleanField(required=False, label=_("This is a different organization: save anyway"))

    class Meta:
        model = Organization
        fields = ["name", "org_type", "description", "hq_state", "canadian_link", "website", "parent", "owner", "notes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _owner_field_for(self, user)
        self.fields["hq_state"].queryset = State.objects.filter(is_pseudo=False)
        parents = Organization.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.initial.setdefault("pillars", list(self.instance.pillars.all()))
            self.initial.setdefault("tags", ", ".join(t.name for t in self.instance.tags.all()))
        self.fields["parent"].queryset = parents

    def tag_names(self) -> list[str]:
        return _split_tags(self.cleaned_data.get("tags", ""))

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class SegmentForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Segment name"))
    shared = forms.BooleanField(required=False, label=_("Share with the team"))
    query = forms.CharField(required=False, widget=forms.HiddenInput)


class SpreadsheetUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, label=_("What the spreadsheet lists"))
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class SuccessorForm(forms.Form):
    """Who takes this person's office and when: chosen by name (the "Find a person" box fills the list)."""

    successor = forms.ModelChoiceField(label=_("Successor"), queryset=Person.objects.none())
    takes_office_on = forms.DateField(label=_("Takes office on"), widget=forms.DateInput(attrs={"type": "date"}))
    source_url = forms.URLField(
        label=_("Source"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where this is said: a certified result, an official announcement."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, predecessor, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Person.objects.visible_to(user).exclude(pk=predecessor.pk)
        self.fields["successor"].queryset = visible
        # Offer only the person chosen (a bound form), never the whole list: the search box adds others.
        chosen = self.data.get("successor") if self.is_bound else None
        self.fields["successor"].widget.choices = [("", _("Find the person above"))] + [
            (p.pk, p.display_name) for p in visible.filter(pk=chosen if str(chosen or "").isdigit() else None)
        ]
