"""Test helpers: give a user a confirmed TOTP device and mark a session or user as verified."""

import functools

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role, has_role
from core.twofactor import ENROLLED_SESSION_KEY


def otp_device_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_now(device: TOTPDevice) -> str:
    """The code the user's app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def otp_verify_session(client, user) -> None:
    """After `force_login`: Admins get a device and a session that already passed it."""
    if not has_role(user, Role.ADMIN):
        return
    device = otp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED_SESSION_KEY] = True
    session.save()


def otp_verify_user(user) -> None:
    """For `force_authenticate`: mark the user object itself as verified (Admins only)."""
    if has_role(user, Role.ADMIN):
        user.otp_device = otp_device_for(user)
        user.is_verified = functools.partial(is_verified, user)
