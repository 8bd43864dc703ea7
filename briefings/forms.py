from django import forms
from django.utils.translation import gettext_lazy as _

from briefings.choices import TargetKind
from briefings.models import PacketTemplate
from trade.models import TariffScenario


class PacketRequestForm(forms.Form):
    """Ask for a new packet version. Target fields usually come hidden from a person/state/... page."""

    target_kind = forms.ChoiceField(label=_("Target type"), choices=TargetKind.choices)
    target_id = forms.CharField(
        label=_("Target"),
        max_length=20,
        help_text=_("Id of the person, organization or campaign; postal code of a state."),
    )
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=PacketTemplate.objects.none(), required=False, empty_label=_("Default template")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scenarios = TariffScenario.objects.filter(is_current_version=True).order_by("name")
        self.fields["scenario"].choices = [("", _("Default scenario"))] + [(s.slug, s.name) for s in scenarios]
        self.fields["template"].queryset = PacketTemplate.objects.order_by("name")
