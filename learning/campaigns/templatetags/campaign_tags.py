"""The learner's mandatory modules, shown on the home page and on "Việc học của tôi"."""

from django import template

from learning.campaigns.context import mandatory_for

register = template.Library()


@register.inclusion_tag("campaigns/_mandatory.html", takes_context=True)
def mandatory_modules(context):
    return {"mandatory": mandatory_for(context["request"].user), "request": context["request"]}
