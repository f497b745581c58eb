"""Organisers: the certificates of people in their communes, and revoking one (with a reason).

Every page is behind ``organiser_required``; which certificates an organiser sees is the selectors' scope
(``communes_in_scope``): another commune's certificate is not found, another commune in a filter is refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from learning.accounts.decorators import organiser_required
from learning.accounts.scopes import communes_in_scope
from learning.audit.services import What, personal_data_viewed_by_request

from . import selectors, services
from .forms import OrganiserFilterForm, RevokeForm
from .models import Certificate

CERTIFICATES_ONLY = gettext_lazy("Only commune and provincial organisers can manage certificates.")
PER_PAGE = 50


@organiser_required(message=CERTIFICATES_ONLY)
@require_GET
def certificate_list(request):
    communes = list(communes_in_scope(request.user))  # the model's Vietnamese order
    code = request.GET.get("commune", "")
    if code and code not in {commune.code for commune in communes}:
        raise PermissionDenied(_("This commune is outside your area."))
    form = OrganiserFilterForm(request.GET, communes=communes)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    certificates = selectors.organiser_certificates_filtered(
        user=request.user,
        commune=filters.get("commune"),
        course=filters.get("course"),
        status=filters.get("status", ""),
    )
    page = Paginator(certificates, PER_PAGE).get_page(request.GET.get("page"))
    if valid:
        personal_data_viewed_by_request(request, what=What.PEOPLE_LIST, scope=code or "all")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/organiser_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )


@organiser_required(message=CERTIFICATES_ONLY)
@require_http_methods(["GET", "POST"])
def revoke(request, code):
    try:
        certificate = selectors.certificate_for_organiser(user=request.user, code=code)
    except Certificate.DoesNotExist:
        raise Http404(_("No certificate with this code in your area.")) from None
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not certificate.is_revoked and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, field_errors in errors.items():
                for error in field_errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("Certificate %(code)s is revoked: anyone who checks it now sees that it is no longer valid.")
                % {"code": certificate.code},
            )
            return redirect("organiser_certificates:list")
    status = 200
    if request.method == "POST":
        status = 409 if certificate.is_revoked else 400
    context = {"certificate": certificate, "form": form}
    personal_data_viewed_by_request(request, what=What.PERSON, scope=certificate.holder_id)
    return render(request, "certificates/organiser_revoke.html", context, status=status)
