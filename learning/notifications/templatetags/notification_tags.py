"""``{% load notification_tags %}{% notifications_inbox %}``: the learner's unread on-site notifications."""

from django import template

from learning.notifications.selectors import unread_for

register = template.Library()


@register.inclusion_tag("notifications/_inbox.html", takes_context=True)
def notifications_inbox(context, limit: int = 5):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "notifications": list(unread_for(user, limit=limit)) if user is not None else [],
        "next_url": request.get_full_path() if request is not None else "/",
    }
