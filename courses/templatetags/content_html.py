"""``{{ page.intro|clean_richtext }}``: a page's rich text expanded and sanitised (``courses.rendering``).
Content templates use it instead of Wagtail's ``richtext``, which trusts what is stored."""

from django import template

from courses.rendering import page_html

register = template.Library()


@register.filter
def clean_richtext(value):
    return page_html(value)
