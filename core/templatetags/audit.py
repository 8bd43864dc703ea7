from django import template

from core.selectors import history_for

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def audit_history(context, obj):
    """`{% audit_history person %}`: the record's history for the signed-in user (Lead/Admin only)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"history": history_for(obj, user) if user is not None else None}
