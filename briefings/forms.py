from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from briefings.choices import DEFAULT_PACKET_LANGUAGE, TargetKind
from briefings.models import PacketTemplate
from trade.models import TariffScenario


class PacketRequestForm(forms.Form):
    """Ask for a new packet version. Target fields usually come hidden from a person/state/... page."""

    target_kind = forms.ChoiceField(label=_("Target type"), choices=TargetKind.choices)
    # Chosen by name: the page's "Find by name" box fills this list with the matching targets (the
    # stakeholder search); the value is the id, or a state's postal code, as the API takes it.
    target_id = forms.CharField(
        label=_("Target"),
        max_length=20,
        widget=forms.Select,
        help_text=_("Type a name in “Find by name”, then choose from this list."),
    )
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=PacketTemplate.objects.none(), required=False, empty_label=_("Default template")
    )
    language = forms.ChoiceField(
        label=_("Language of the packet"),
        choices=settings.LANGUAGES,
        initial=DEFAULT_PACKET_LANGUAGE,
        required=False,  # the one-click buttons on other pages post without it: English
        help_text=_("Packets are for US readers: English unless you need French."),
    )

    def __init__(self, *args, target_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_id"].widget.choices = [("", _("Choose a target"))] + list(dict(target_choices).items())
        scenarios = TariffScenario.objects.filter(is_current_version=True).order_by("name")
        self.fields["scenario"].choices = [("", _("Default scenario"))] + [(s.slug, s.label) for s in scenarios]
        self.fields["template"].queryset = PacketTemplate.objects.order_by("name")
