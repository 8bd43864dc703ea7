from django.conf import settings

from core.navigation import MAIN_NAVIGATION
from core.roles import has_role, role_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "classification_marking": settings.CLASSIFICATION_MARKING}
    path = request.path
    items = []
    for key, label, url, role in MAIN_NAVIGATION:
        if not has_role(user, role):
            continue
        active = path == "/" if url == "/" else path.startswith(url)
        items.append({"key": key, "label": label, "url": url, "active": active})
    role = role_of(user)
    return {
        "nav_items": items,
        "user_role": role.group_name if role else None,
        "classification_marking": settings.CLASSIFICATION_MARKING,
    }
