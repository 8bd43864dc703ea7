from django.conf import settings

from core.navigation import MAIN_NAVIGATION
from core.roles import has_role, role_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "classification_marking": settings.CLASSIFICATION_MARKING}
    path = request.path
    allowed = [(key, label, url) for key, label, url, role in MAIN_NAVIGATION if has_role(user, role)]
    # The longest matching entry is the current one: /stakeholders/import/ is Import, not Stakeholders.
    matches = [url for _key, _label, url in allowed if (path == "/" if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    items = [{"key": key, "label": label, "url": url, "active": url == current} for key, label, url in allowed]
    role = role_of(user)
    return {
        "nav_items": items,
        "user_role": role.label if role else None,
        "classification_marking": settings.CLASSIFICATION_MARKING,
    }
