"""Response headers every page carries besides Django's own: Permissions-Policy (``PERMISSIONS_POLICY``) and
the Content-Security-Policy of django-csp (``CONTENT_SECURITY_POLICY``; ``CSP_ADMIN_UPDATE`` on the admin)."""

import base64
import hashlib

from csp.middleware import CSPMiddleware
from django.conf import settings

# The one inline script of the site (``base.html``): the reader's text size, applied before the page is first
# drawn so the text never jumps. It is allowed by its hash, never by 'unsafe-inline'.
TEXT_SIZE_SCRIPT = (
    'try{var s=localStorage.getItem("text-size");if(s)document.documentElement.className="ts"+s}catch(e){}'
)
TEXT_SIZE_SCRIPT_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(TEXT_SIZE_SCRIPT.encode()).digest()).decode()}'"


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
        if not report_only and parts.update is None:
            if request.path.startswith(self.ADMIN_PREFIXES):
                parts.update = settings.CSP_ADMIN_UPDATE
            else:
                parts.update = {"script-src": [TEXT_SIZE_SCRIPT_HASH]}
        return parts
