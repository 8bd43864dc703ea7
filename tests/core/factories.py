import factory
from django.contrib.auth import get_user_model

from core.roles import Role
from core.services import user_set_role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; pass `role=Role.X` (default Viewer, None for no role)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@envoy.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if create:
            user_set_role(user=self, role=Role.VIEWER if extracted is None else extracted)
