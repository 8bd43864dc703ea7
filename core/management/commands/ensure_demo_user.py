import os

from django.conf import settings
from django.core.management.base import BaseCommand

from core.services import demo_user_ensure


class Command(BaseCommand):
    help = "Create the demo staff login if none exists and print its credentials once (DEMO_PASSWORD overrides)."

    def handle(self, *args, **options):
        user, password = demo_user_ensure(username=settings.DEMO_USERNAME, password=os.environ.get("DEMO_PASSWORD"))
        if password:
            self.stdout.write(
                self.style.WARNING(f"Demo login created — username: {user.username}  password: {password}")
            )
            self.stdout.write("This password is shown only once.")
        else:
            self.stdout.write(f"Demo login '{user.username}' already exists (password unchanged).")
