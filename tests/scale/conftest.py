import pytest
from django.apps import apps


def model_or_skip(label: str):
    """The model, or skip the test when the app that owns it has not landed on this branch yet."""
    try:
        return apps.get_model(label)
    except LookupError:
        pytest.skip(f"{label} is not installed yet")


@pytest.fixture
def reference_data(db):
    """A few states and pillars for synthetic rows to point at (reference data is never synthetic)."""
    State, Pillar = apps.get_model("trade.State"), apps.get_model("trade.Pillar")
    states = [
        State.objects.create(code=code, name=name)
        for code, name in (("MI", "Michigan"), ("OH", "Ohio"), ("TX", "Texas"))
    ]
    pillars = [Pillar.objects.create(code=code, name=name) for code, name in (("energy", "Energy"), ("autos", "Autos"))]
    return states, pillars
