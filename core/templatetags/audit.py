from django import template

from core.selectors import history_for

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def audit_history(context, obj, heading_level: int = 2):
    """`{% audit_history person %}`: the record's history for the signed-in user (Lead/Admin only).

    Several records on one page (e.g. every scenario) each get their own heading id; pass
    `heading_level=3` when the history sits inside a record's own section."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "history": history_for(obj, user) if user is not None else None,
        "heading_id": f"history-{obj._meta.model_name}-{obj.pk}",
        "heading_level": heading_level if heading_level in (2, 3, 4) else 2,
    }
