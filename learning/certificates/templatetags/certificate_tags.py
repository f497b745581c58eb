"""What a learner sees of their certificates on other pages (the course page, "My learning").

    {% load certificate_tags %}
    {% certificate_for course as cert %}
    {% if cert and not cert.is_revoked %}
      <a href="{% url 'certificates:mine' %}">{% translate "View certificate" %}</a>
    {% endif %}

``cert.code`` is the verification code: ``{% url 'certificate_verify:verify' cert.code %}`` is its public page,
``{% url 'certificates:download' cert.code %}`` its PDF (for its holder only).
"""

from django import template

from learning.certificates.selectors import certificate_for as _certificate_for

register = template.Library()


@register.simple_tag(takes_context=True)
def certificate_for(context, course):
    """The signed-in learner's certificate for ``course`` (revoked ones too: see ``is_revoked``), or None."""
    request = context.get("request")
    if request is None or course is None:
        return None
    return _certificate_for(user=request.user, course=course)
