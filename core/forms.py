from datetime import UTC, datetime

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import EditConflictError


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits shown in your authenticator app."))
        return token


class _VersionTokenField(forms.CharField):
    """The signed version token: never a change of the record, though each render signs a new one."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class VersionedFormMixin:
    """For the ModelForm of an edit page of a `VersionedModel` record: carries the version it showed.

    A hidden field holds the version and when the form was shown, signed (so the time cannot be
    moved back to read older history). The view passes `expected_version()` to the service, which
    refuses the save if someone else saved since (core.concurrency). On that refusal the view shows
    `rebased(error, user=...)` instead: the form again on the current record with what the editor
    typed, except that a field only the other person changed takes their new value (so saving
    again does not undo it); a field both changed keeps what was typed and says what the other
    person wrote. The other person's changes are named at the top, from the audit history, as
    this editor may see them. Templates render `{{ form.version }}`.
    """

    version_field = "version"
    version_salt = "core.forms.VersionedFormMixin"

    def __init__(self, *args, **kwargs):
        # What rebuilding this form needs besides data and instance (e.g. the `user` some forms take).
        self._rebuild_kwargs = {k: v for k, v in kwargs.items() if k not in ("data", "files", "instance", "initial")}
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[self.version_field] = _VersionTokenField(required=False)
            self.initial[self.version_field] = self.version_token(self.instance.version)

    @classmethod
    def version_token(cls, version: int) -> str:
        return signing.Signer(salt=cls.version_salt).sign_object({"v": version, "t": timezone.now().timestamp()})

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            return data
        token = data.get(self.version_field) or ""
        try:
            payload = signing.Signer(salt=self.version_salt).unsign_object(token)
            version, read_at = int(payload["v"]), datetime.fromtimestamp(float(payload["t"]), tz=UTC)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _(
                    "This page does not say which version of the record you edited. "
                    "Reload it and make your changes again."
                )
            ) from None
        data["_expected_version"], data["_read_at"] = version, read_at
        return data

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("_expected_version") if self.instance.pk else None

    def _typed(self, name: str):
        value = self.cleaned_data.get(name, _MISSING)
        return value.pk if isinstance(value, models.Model) else value

    @staticmethod
    def _as_data(model_field, raw) -> str:
        return "" if raw is None else str(raw)

    def rebased(self, conflict: EditConflictError, *, user):
        """This form again, bound to the current record (see the class docstring)."""
        from core.concurrency import change_sentences
        from core.selectors import changes_since

        instance = type(self.instance)._default_manager.get(pk=self.instance.pk)
        entries = changes_since(instance, user, since=self.cleaned_data["_read_at"])
        data = self.data.copy()
        data[self.version_field] = self.version_token(instance.version)
        seen: dict[str, object] = {}
        newest: dict[str, tuple[object, str, str]] = {}
        for entry in entries:
            for change in entry.changes:
                seen.setdefault(change.name, change.raw_before)
                newest[change.name] = (change.raw_after, change.after, entry.actor)
        notes: dict[str, str] = {}
        for name, (raw_after, after_text, actor) in newest.items():
            if name not in self.fields or self.fields[name].disabled:
                continue
            try:
                model_field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            note = _("%(actor)s changed this to “%(after)s”: check it before saving again.") % {
                "actor": actor, "after": after_text,
            }  # fmt: skip
            if model_field.many_to_many or not model_field.concrete:
                notes[name] = note
                continue
            target = model_field.target_field if model_field.is_relation else model_field
            typed = self._typed(name)
            if typed == target.to_python(raw_after):
                continue
            if typed is not _MISSING and typed == target.to_python(seen[name]):
                if isinstance(model_field, models.BooleanField) and not raw_after:
                    data.pop(name, None)
                else:
                    data[name] = self._as_data(model_field, raw_after)
                continue
            notes[name] = note
        sentences = change_sentences(entries)
        if sentences:
            message = _("%(changes)s — your other changes are kept; review and save again.") % {
                "changes": "; ".join(sentences)
            }
        else:
            message = _(
                "Someone else saved this record after you opened it; your changes are kept: review and save again."
            )
        form = type(self)(data, self.files, instance=instance, **self._rebuild_kwargs)
        form.is_valid()
        form.add_error(None, message)
        for name, note in notes.items():
            form.add_error(name, note)
        return form


_MISSING = object()


def _time_zone_choices():
    import zoneinfo

    from django.conf import settings

    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    default = _("Team default (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", default), *((zone, zone.replace("_", " ")) for zone in zones)]


def _language_choices():
    from django.conf import settings

    return [("", _("Follow my browser")), *settings.LANGUAGES]


class PreferenceForm(forms.Form):
    """The account page's language and time zone (core.preferences)."""

    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, required=False)
