"""Page forms (GET filters) for trade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedFormMixin
from trade.models import TariffMeasure, TariffScenario
from trade.services import MEASURE_EDIT_FIELDS


def _scenario_choices():
    return [(s.slug, s.label) for s in TariffScenario.objects.current_versions().order_by("name")]


class ScenarioChoiceForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)
    measure = forms.ChoiceField(label=_("Colour the map by"), required=False)

    def __init__(self, *args, measures: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [("", _("Default scenario")), *_scenario_choices()]
        self.fields["measure"].choices = list(measures.items())


class ScenarioCompareForm(forms.Form):
    first = forms.ChoiceField(label=_("First scenario"))
    second = forms.ChoiceField(label=_("Second scenario"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = _scenario_choices()
        self.fields["second"].choices = _scenario_choices()


class TariffMeasureForm(VersionedFormMixin, forms.ModelForm):
    """What a Lead may correct on a measure: rate, treatment, dates, status and sources (shape only)."""

    class Meta:
        model = TariffMeasure
        fields = MEASURE_EDIT_FIELDS
        widgets = {
            "date_announced": forms.DateInput(attrs={"type": "date"}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
            "verified_on": forms.DateInput(attrs={"type": "date"}),
        }
