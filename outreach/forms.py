"""Page forms: shape and field validation only; the writes happen in `outreach.services`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.choices import Stance
from contacts.models import Organization, Person, SavedSegment
from contacts.selectors import segments_for
from core.roles import Role
from outreach.choices import InteractionKind, Sentiment, TargetStatus
from trade.models import Pillar, State


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[role.group_name for role in Role])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def only_chosen(field: forms.ModelMultipleChoiceField, chosen) -> None:
    """Render `field` with the chosen people as its only options (one query for them); validation
    still accepts anyone in the field's queryset, which the search box's options come from."""
    ids = [int(pk) for pk in chosen if str(pk).isdigit()]
    field.widget.choices = [(p.pk, field.label_from_instance(p)) for p in field.queryset.filter(pk__in=ids)]


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        label = obj.display_name
        if obj.title:
            label = f"{label} — {obj.title}"
        return f"{label} [synthetic]" if obj.is_synthetic else label


class InteractionForm(forms.Form):
    """The quick log: kind, who, when and a summary are enough; the rest is optional."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InteractionKind.choices, initial=InteractionKind.CALL)
    people = PersonMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=Organization.objects.none(), required=False
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeLocalInput())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=1440, required=False)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    staff = StaffMultipleChoiceField(
        label=_("Other envoy staff present"), queryset=get_user_model().objects.none(), required=False
    )
    states = forms.ModelMultipleChoiceField(label=_("States discussed"), queryset=State.objects.none(), required=False)
    pillars = forms.ModelMultipleChoiceField(
        label=_("Pillars discussed"), queryset=Pillar.objects.none(), required=False
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[("", _("Not recorded")), *Sentiment.choices], required=False
    )
    stance_observed = forms.ChoiceField(
        label=_("Stance observed"), choices=[("", _("Not recorded")), *Stance.choices], required=False
    )
    stance_people = PersonMultipleChoiceField(
        label=_("Whose stance"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("With two or more people present, choose whose stance you observed (one or several)."),
    )
    stance_confirmed = forms.BooleanField(
        label=_("Stance confirmed: add it to the person's stance history"), required=False
    )
    asks = forms.CharField(label=_("Asks we made"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    commitments_by_them = forms.CharField(
        label=_("Commitments made by them"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line."),
    )
    commitments_by_us = forms.CharField(
        label=_("Commitments made by us"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line."),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only you, Leads and Admins can read these."),
    )
    commitments_due = forms.DateField(
        label=_("Commitments due"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "For every commitment above. You own them; change each one's date and owner on the interaction's page."
        ),
    )
    follow_up_what = forms.CharField(label=_("Follow-up to do"), max_length=300, required=False)
    follow_up_due = forms.DateField(label=_("Follow-up due"), widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.visible_to(user).only(
            "id", "full_name", "preferred_name", "title", "is_synthetic", "last_name", "first_name"
        )
        self.fields["stance_people"].queryset = self.fields["people"].queryset
        # Both lists offer only the people chosen, never every stakeholder (100,000 options at scale):
        # "Find a person" adds the ones typed.
        chosen = self.data.getlist("people") if self.is_bound else self.initial.get("people", [])
        only_chosen(self.fields["people"], chosen)
        only_chosen(self.fields["stance_people"], chosen)
        self.fields["organizations"].queryset = Organization.objects.visible_to(user).only("id", "name")
        self.fields["staff"].queryset = staff_users().exclude(pk=user.pk)
        self.fields["states"].queryset = State.objects.filter(is_pseudo=False)
        self.fields["pillars"].queryset = Pillar.objects.all()
        if not self.is_bound and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("organizations"):
            self.add_error("people", _("Choose at least one person or organization."))
        if data.get("follow_up_what") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", _("Give the follow-up a due date."))
        if data.get("follow_up_due") and not data.get("follow_up_what"):
            self.add_error("follow_up_what", _("Say what the follow-up is."))
        return data


class CommitmentForm(forms.Form):
    """A commitment's due date and owner, on the interaction's page."""

    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)
    owner = StaffChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()


class FollowUpForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    assignee = StaffChoiceField(label=_("Assignee"), queryset=get_user_model().objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users()
        self.fields["assignee"].initial = user.pk


class BulkLogForm(forms.Form):
    """Log the same outreach for several campaign targets at once."""

    targets = forms.TypedMultipleChoiceField(label=_("Targets"), coerce=int, choices=[])
    kind = forms.ChoiceField(label=_("Kind"), choices=InteractionKind.choices, initial=InteractionKind.LETTER)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeLocalInput())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = [
            (t.pk, str(t.target)) for t in campaign.targets.select_related("person", "organization")
        ]
        if not self.is_bound:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)


class TargetStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TargetStatus.choices)


class SegmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name if not obj.shared else f"{obj.name} ({obj.owner.get_full_name() or obj.owner.username})"


class AddTargetsForm(forms.Form):
    segment = SegmentChoiceField(label=_("Saved segment"), queryset=SavedSegment.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments_for(user=user)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), required=False)
    people = PersonMultipleChoiceField(label=_("Target people"), queryset=Person.objects.none(), required=False)
    segment = SegmentChoiceField(
        label=_("Add everyone in a saved segment"), queryset=SavedSegment.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments_for(user=user)
        self.fields["people"].queryset = Person.objects.visible_to(user).only(
            "id", "full_name", "preferred_name", "title", "is_synthetic", "last_name", "first_name"
        )
        # Only the people chosen are options; "Find a person" adds the ones typed.
        only_chosen(self.fields["people"], self.data.getlist("people") if self.is_bound else [])
