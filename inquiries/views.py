"""Screens of inquiries (section 5): thin views over selectors, permissions and services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from norsjo.forms import add_service_error
from norsjo.security_log import security_event

from . import permissions, selectors, services
from .forms import AddendumForm, InquiryForm, SearchForm
from .models import Inquiry

PAGE_SIZE = 50


def _visible(request, pk) -> Inquiry:
    try:
        return selectors.inquiry_for(request.user, pk)
    except Inquiry.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def inquiry_create(request):
    if not permissions.can_register_inquiry(request.user):
        raise PermissionDenied
    form = InquiryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_register(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The inquiry has been registered as %(number)s and sent to the registrar.")
                % {"number": inquiry.number},
            )
            return redirect(inquiry)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "inquiries/inquiry_form.html", {"form": form}, status=status)


@require_GET
def inquiry_list(request):
    if not permissions.can_see_all_inquiries(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.inquiry_list(user=request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "inquiries/inquiry_list.html", {"form": form, "page": page, "search": search})


@require_GET
def inquiry_mine(request):
    page = Paginator(selectors.inquiries_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inquiries/inquiry_mine.html", {"page": page})


@require_GET
def inquiry_detail(request, pk):
    inquiry = _visible(request, pk)
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "addenda": selectors.addenda_of(inquiry),
            "can_add_addendum": permissions.can_add_addendum(request.user, inquiry),
            "is_own": inquiry.registered_by_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def addendum_create(request, pk):
    inquiry = _visible(request, pk)
    if not permissions.can_add_addendum(request.user, inquiry):
        raise PermissionDenied
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_addendum_add(actor=request.user, inquiry=inquiry, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The addendum has been added to %(number)s.") % {"number": inquiry.number})
            return redirect(inquiry)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "inquiries/addendum_form.html", {"form": form, "inquiry": inquiry}, status=status)


@require_GET
def screenshot(request, pk):
    inquiry = _visible(request, pk)
    if not inquiry.screenshot:
        raise Http404
    security_event("inquiry.screenshot_read", request, inquiry=inquiry.number)
    response = FileResponse(
        inquiry.screenshot.open("rb"),
        content_type=inquiry.screenshot_type,
        as_attachment=not inquiry.screenshot_is_image,
        filename=inquiry.screenshot_name or "skarmdump",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
