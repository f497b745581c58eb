"""The learner's certificates and the public verification page. Thin: selectors read, pdf draws."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .models import Certificate
from .pdf import certificate_pdf, verify_url
from .throttle import WINDOW_SECONDS, verify_allowed


@login_required
@require_GET
def my_certificates(request):
    certificates = list(selectors.certificates_of(user=request.user))
    rows = [(certificate, verify_url(certificate)) for certificate in certificates]
    return render(request, "certificates/mine.html", {"rows": rows})


@login_required
@require_GET
def download(request, code):
    """The holder's own certificate as a PDF attachment; anyone else's, or a revoked one, is not found."""
    try:
        certificate = selectors.certificate_of_holder(user=request.user, code=code)
    except Certificate.DoesNotExist:
        return render(request, "certificates/not_found.html", status=404)
    if certificate.is_revoked:
        return render(request, "certificates/revoked_download.html", {"certificate": certificate}, status=410)
    content, filename = certificate_pdf(certificate)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def lookup(request):
    """The address printed on a certificate without its code: a box to type the code in."""
    code = request.GET.get("code", "")
    if code.strip():
        cleaned = selectors.code_clean(code)
        if cleaned:
            return redirect("certificate_verify:verify", code=cleaned)
        return render(request, "certificates/lookup.html", {"code": code, "invalid": True}, status=400)
    return render(request, "certificates/lookup.html", {"code": ""})


@never_cache
@require_GET
def verify(request, code):
    """Anyone with the code (from the QR or typed) sees whether the certificate is valid, and the holder's
    name masked. Every lookup counts towards the client address's limit, found or not."""
    if not verify_allowed(request):
        response = render(request, "certificates/throttled.html", status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    verification = selectors.certificate_verify(code)
    if verification is None:
        return render(request, "certificates/not_found.html", {"code": code[:40]}, status=404)
    return render(request, "certificates/verify.html", {"v": verification})
