"""Response headers every page carries besides Django's own: Permissions-Policy (``PERMISSIONS_POLICY``) and
the Content-Security-Policy of django-csp (``CONTENT_SECURITY_POLICY``; ``CSP_ADMIN_UPDATE`` on the admin)."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sets ``Permissions-Policy`` (browser features such as camera and location off) unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``CSP_ADMIN_UPDATE`` added on the editors' admin (``/admin/``,
    ``/django-admin/``): some Wagtail widgets (inline panels, date pickers) still write inline scripts.
    Every other page gets the strict ``CONTENT_SECURITY_POLICY`` alone."""

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and request.path.startswith(self.ADMIN_PREFIXES):
            parts.update = settings.CSP_ADMIN_UPDATE
        return parts
