import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.services import demo_user_ensure


class Command(BaseCommand):
    help = "Create the demo staff login if none exists and print its credentials once (DEMO_PASSWORD overrides)."

    def handle(self, *args, **options):
        user, password = demo_user_ensure(username=settings.DEMO_USERNAME, password=os.environ.get("DEMO_PASSWORD"))
        if password:
            self.stdout.write(
                self.style.WARNING(
                    _("Demo login created — username: %(username)s  password: %(password)s")
                    % {"username": user.username, "password": password}
                )
            )
            self.stdout.write(_("This password is shown only once."))
        else:
            self.stdout.write(
                _("Demo login “%(username)s” already exists (password unchanged).") % {"username": user.username}
            )
