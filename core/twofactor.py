"""Two-factor authentication (TOTP, django-otp): who needs it and the enrolment helpers.

Rule: a user holding the Admin role, or any user who enrolled a device, must verify a code in the
session before using any page (core.middleware.TwoFactorMiddleware). Admin-level permission checks
(pages, API, Django admin) also require a verified session, so an API token alone never carries
Admin rights.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role, has_role

ENROLLED_SESSION_KEY = "_envoy_2fa_enrolled"


def is_verified(user) -> bool:
    """True when the request's user passed a second factor in this session."""
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check())


def enrolled_mark(*, session, user) -> None:
    """Cache in the session whether the user has a confirmed device (saves a query per request)."""
    session[ENROLLED_SESSION_KEY] = user_has_device(user, confirmed=True)


def second_factor_required(request) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return has_role(user, Role.ADMIN) or bool(request.session.get(ENROLLED_SESSION_KEY))


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's unconfirmed device (created on first call) used by the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_device_confirmed(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URL as an inline SVG QR code, drawn locally (nothing leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]
