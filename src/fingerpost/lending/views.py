"""Lending staff pages: inventory, devices, borrowers, holds, loans, the
overdue list, loan rules, reports and the import. Thin: parse, call one
service or query, render or redirect. Every page that shows a borrower
records the look in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from fingerpost.core import audit
from fingerpost.core.errors import call_with_form, refusals_as_messages, refused_page_status
from fingerpost.core.spreadsheets import spreadsheet_response
from fingerpost.core.views import query_without, signed_in_user
from fingerpost.helpdesk import queries as helpdesk_queries

from . import imports, queries, services
from .forms import (
    BookingForm,
    BorrowerForm,
    DeviceForm,
    HoldForm,
    ImportForm,
    InventoryFilterForm,
    IssueForm,
    LostForm,
    ReturnForm,
    RuleForm,
    SearchForm,
    ServiceForm,
    WipeCheckForm,
)
from .models import Booking, DeviceKind, DeviceStatus

PAGE_SIZE = 50


def staff(permission: str = "lending.manage") -> Any:
    def wrap(view: Any) -> Any:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return wrap


def _device(request: HttpRequest, asset_tag: str) -> Any:
    device = queries.device_for(signed_in_user(request), asset_tag)
    if device is None:
        raise Http404
    return device


def _borrower(request: HttpRequest, reference: str) -> Any:
    borrower = queries.borrower_for(signed_in_user(request), reference)
    if borrower is None:
        raise Http404
    return borrower


def _loan(request: HttpRequest, reference: str) -> Any:
    loan = queries.loan_for(signed_in_user(request), reference)
    if loan is None:
        raise Http404
    return loan


def _status(form: Any) -> int:
    return refused_page_status(form) if form.is_bound else 200


@staff()
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "lending/overview.html",
        {
            "counts": queries.status_counts(user),
            "statuses": DeviceStatus.choices,
            "availability": queries.availability(branches=queries.branches_for(user)),
            "overdue": queries.loan_list(user, overdue=True).count(),
        },
    )


# Inventory --------------------------------------------------------------------


@staff()
@require_safe
def inventory(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    branches = queries.branches_for(user)
    filters = InventoryFilterForm(request.GET or None, branches=branches)
    criteria: dict[str, Any] = {}
    if filters.is_valid():
        data = filters.cleaned_data
        criteria = {
            "status": data["status"],
            "kind": data["kind"],
            "branch": data["branch"].pk if data["branch"] else None,
            "search": data["q"].strip(),
        }
    page = Paginator(queries.inventory(user, **criteria), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lending/inventory.html",
        {"page": page, "filters": filters, "query": query_without(request, "page")},
    )


def _details(form: Any) -> services.DeviceDetails:
    data = form.cleaned_data
    return services.DeviceDetails(
        asset_tag=data["asset_tag"],
        kind=data["kind"],
        branch=data["branch"],
        serial_number=data["serial_number"],
        make=data["make"],
        model=data["model"],
        condition=data["condition"],
        notes=data["notes"],
        sim_allowance_gb=data["sim_allowance_gb"],
        sim_expires_on=data["sim_expires_on"],
    )


@staff()
@require_http_methods(["GET", "POST"])
def add_device(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DeviceForm(request.POST or None, branches=queries.branches_for(user))
    if request.method == "POST" and form.is_valid():
        device = call_with_form(form, services.add_device, details=_details(form), by=user)
        if device is not None:
            messages.success(request, f"{device.asset_tag} is added to the inventory.")
            return redirect(device)
    return render(request, "lending/device_form.html", {"form": form}, status=_status(form))


@staff()
@require_http_methods(["GET", "POST"])
def edit_device(request: HttpRequest, asset_tag: str) -> HttpResponse:
    user = signed_in_user(request)
    device = _device(request, asset_tag)
    initial = {
        name: getattr(device, name)
        for name in (
            "asset_tag",
            "kind",
            "make",
            "model",
            "serial_number",
            "condition",
            "notes",
            "sim_allowance_gb",
            "sim_expires_on",
        )
    }
    initial["branch"] = device.branch_id
    form = DeviceForm(request.POST or None, initial=initial, branches=queries.branches_for(user))
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, services.update_device, device=device, details=_details(form), by=user
        )
        if saved is not None:
            messages.success(request, f"The details of {saved.asset_tag} are saved.")
            return redirect(saved)
    return render(
        request, "lending/device_form.html", {"form": form, "device": device}, status=_status(form)
    )


@staff()
@require_http_methods(["GET", "POST"])
def import_devices(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = call_with_form(
            form,
            imports.import_devices,
            name=upload.name,
            content=upload.read(imports.MAX_BYTES + 1),
            branches=queries.branches_for(user),
            by=user,
        )
        if report is not None and report.ok:
            messages.success(request, f"{report.imported} devices imported.")
            return redirect("lending:inventory")
    status = 400 if (form.is_bound and form.errors) or (report and not report.ok) else 200
    return render(
        request,
        "lending/import.html",
        {"form": form, "report": report, "columns": imports.COLUMNS},
        status=status,
    )


def _device_page(
    request: HttpRequest, device: Any, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "device": device,
        "loan": queries.active_loan_of(device),
        "hold": queries.ready_hold_of(device),
        "bookings": queries.upcoming_bookings(device),
        "history": queries.device_history(device),
        "loans": queries.device_loans(device),
        "wipe_form": forms.get("wipe_form")
        or WipeCheckForm(initial={"condition": device.condition}),
        "service_form": forms.get("service_form") or ServiceForm(),
        "booking_form": forms.get("booking_form") or BookingForm(),
    }
    if "form" in forms:
        context["form"] = forms["form"]
    return render(request, "lending/device.html", context, status=status)


@staff()
@require_safe
def device(request: HttpRequest, asset_tag: str) -> HttpResponse:
    return _device_page(request, _device(request, asset_tag))


@staff()
@require_POST
def wipe_check(request: HttpRequest, asset_tag: str) -> HttpResponse:
    device = _device(request, asset_tag)
    form = WipeCheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call_with_form(
            form,
            services.confirm_wipe_check,
            device=device,
            by=signed_in_user(request),
            wiped=data["wiped"],
            checked=data["checked"],
            condition=data["condition"],
            notes=data["notes"],
        )
        if done is not None:
            if done.status == DeviceStatus.HELD:
                messages.success(
                    request, f"{done.asset_tag} is checked and held for the next borrower."
                )
            else:
                messages.success(
                    request, f"{done.asset_tag} is checked: {done.get_status_display().lower()}."
                )
            return redirect(done)
    return _device_page(request, device, status=_status(form), wipe_form=form, form=form)


@staff()
@require_POST
def out_of_service(request: HttpRequest, asset_tag: str) -> HttpResponse:
    device = _device(request, asset_tag)
    form = ServiceForm(request.POST)
    if form.is_valid():
        done = call_with_form(
            form,
            services.take_out_of_service,
            device=device,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
            by=signed_in_user(request),
        )
        if done is not None:
            messages.success(request, f"{done.asset_tag} is {done.get_status_display().lower()}.")
            return redirect(done)
    return _device_page(request, device, status=_status(form), service_form=form, form=form)


@staff()
@require_POST
def back_in_service(request: HttpRequest, asset_tag: str) -> HttpResponse:
    device = _device(request, asset_tag)
    with refusals_as_messages(request):
        services.back_in_service(device=device, by=signed_in_user(request))
        messages.success(
            request, f"{device.asset_tag} is back: wipe and check it before lending it."
        )
    return redirect(device)


@staff()
@require_POST
def book(request: HttpRequest, asset_tag: str) -> HttpResponse:
    device = _device(request, asset_tag)
    form = BookingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        booking = call_with_form(
            form,
            services.book_device,
            device=device,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            purpose=data["purpose"],
            by=signed_in_user(request),
        )
        if booking is not None:
            messages.success(request, f"{device.asset_tag} is booked for {booking.purpose}.")
            return redirect(device)
    return _device_page(request, device, status=_status(form), booking_form=form, form=form)


@staff()
@require_POST
def cancel_booking(request: HttpRequest, asset_tag: str, pk: int) -> HttpResponse:
    device = _device(request, asset_tag)
    booking = Booking.objects.filter(device=device, pk=pk).first()
    if booking is None:
        raise Http404
    with refusals_as_messages(request):
        services.cancel_booking(booking=booking, by=signed_in_user(request))
        messages.success(request, "The booking is cancelled.")
    return redirect(device)


@staff()
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, asset_tag: str) -> HttpResponse:
    user = signed_in_user(request)
    device = _device(request, asset_tag)
    hold = queries.ready_hold_of(device)
    initial = {"condition": device.condition, "borrower": request.GET.get("borrower", "")[:12]}
    if hold is not None:
        initial["borrower"] = hold.borrower.reference
    form = IssueForm(request.POST or None, initial=initial)
    borrower = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        borrower = queries.borrower_for(user, data["borrower"].strip().upper())
        if borrower is None:
            form.add_error("borrower", "There is no borrower with this reference at your branches")
        else:
            services.record_viewed(borrower=borrower, by=user, detail="issue page")
            loan = call_with_form(
                form,
                services.issue_loan,
                device=device,
                borrower=borrower,
                by=user,
                agreement=data["agreement"],
                witnessed_by=data["witnessed_by"],
                condition=data["condition"],
            )
            if loan is not None:
                messages.success(
                    request,
                    f"{device.asset_tag} is lent to {borrower.name}, due back on "
                    f"{loan.due_on:%d/%m/%Y}.",
                )
                return redirect(loan)
    status = refused_page_status(form) if form.is_bound and form.errors else 200
    return render(
        request,
        "lending/issue.html",
        {
            "device": device,
            "hold": hold,
            "form": form,
            "rule": services.rule_for(device.kind),
        },
        status=status,
    )


# Loans ------------------------------------------------------------------------


@staff()
@require_safe
def loans(request: HttpRequest, overdue: bool = False) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(queries.loan_list(user, overdue=overdue), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lending/loans.html",
        {
            "page": page,
            "overdue": overdue,
            "today": timezone.localdate(),
            "query": query_without(request, "page"),
        },
    )


@staff()
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    return loans(request, overdue=True)


def _loan_page(request: HttpRequest, loan: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    services.record_viewed(
        borrower=loan.borrower, by=signed_in_user(request), detail=f"loan {loan.reference}"
    )
    rule = services.rule_for(loan.device.kind)
    context = {
        "loan": loan,
        "device": loan.device,
        "today": timezone.localdate(),
        "renewal_refusal": services.renewal_refusal(loan, rule),
        "return_form": forms.get("return_form") or ReturnForm(),
        "lost_form": forms.get("lost_form") or LostForm(),
    }
    if "form" in forms:
        context["form"] = forms["form"]
    return render(request, "lending/loan.html", context, status=status)


@staff()
@require_safe
def loan(request: HttpRequest, reference: str) -> HttpResponse:
    return _loan_page(request, _loan(request, reference))


@staff()
@require_POST
def renew(request: HttpRequest, reference: str) -> HttpResponse:
    loan = _loan(request, reference)
    with refusals_as_messages(request):
        renewed = services.renew_loan(loan=loan, by=signed_in_user(request))
        messages.success(request, f"Renewed: now due back on {renewed.due_on:%d/%m/%Y}.")
    return redirect(loan)


@staff()
@require_POST
def remind(request: HttpRequest, reference: str) -> HttpResponse:
    loan = _loan(request, reference)
    with refusals_as_messages(request):
        services.send_reminder_by_hand(loan=loan, by=signed_in_user(request))
        messages.success(request, f"A reminder is on its way to {loan.borrower.name}.")
    return redirect((request.POST.get("next") == "overdue" and "lending:overdue") or loan)


@staff()
@require_POST
def return_loan(request: HttpRequest, reference: str) -> HttpResponse:
    loan = _loan(request, reference)
    form = ReturnForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call_with_form(
            form,
            services.return_loan,
            loan=loan,
            by=signed_in_user(request),
            condition=data["condition"],
            missing_parts=data["missing_parts"],
            notes=data["notes"],
        )
        if done is not None:
            messages.success(
                request,
                f"{loan.device.asset_tag} is back. Wipe and check it before it is lent again.",
            )
            return redirect(loan.device)
    return _loan_page(request, loan, status=_status(form), return_form=form, form=form)


@staff()
@require_POST
def lost(request: HttpRequest, reference: str) -> HttpResponse:
    loan = _loan(request, reference)
    form = LostForm(request.POST)
    if form.is_valid():
        done = call_with_form(
            form,
            services.record_lost,
            loan=loan,
            by=signed_in_user(request),
            notes=form.cleaned_data["notes"],
        )
        if done is not None:
            messages.success(request, f"{loan.device.asset_tag} is recorded as lost.")
            return redirect(loan)
    return _loan_page(request, loan, status=_status(form), lost_form=form, form=form)


# Borrowers ----------------------------------------------------------------------


@staff()
@require_safe
def borrowers(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(queries.borrower_list(user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record(
        actor=user,
        action="view",
        subject_type="borrower_list",
        reference="page",
        detail=f"search: {search}"[:300] if search else "list",
    )
    return render(
        request,
        "lending/borrowers.html",
        {"page": page, "filters": form, "query": query_without(request, "page")},
    )


def _borrower_details(form: Any) -> services.BorrowerDetails:
    data = form.cleaned_data
    return services.BorrowerDetails(
        name=data["name"],
        branch=data["branch"],
        email=data["email"],
        phone=data["phone"],
        library_card=data["library_card"],
        address=data["address"],
        referral=data["referral"],
    )


@staff()
@require_http_methods(["GET", "POST"])
def add_borrower(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = BorrowerForm(request.POST or None, branches=queries.branches_for(user))
    if request.method == "POST" and form.is_valid():
        borrower = call_with_form(
            form, services.register_borrower, details=_borrower_details(form), by=user
        )
        if borrower is not None:
            messages.success(
                request, f"{borrower.name} is registered as borrower {borrower.reference}."
            )
            return redirect(borrower)
    return render(request, "lending/borrower_form.html", {"form": form}, status=_status(form))


@staff()
@require_http_methods(["GET", "POST"])
def edit_borrower(request: HttpRequest, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    borrower = _borrower(request, reference)
    services.record_viewed(borrower=borrower, by=user, detail="edit page")
    initial = {
        name: getattr(borrower, name)
        for name in ("name", "email", "phone", "library_card", "address", "referral")
    }
    initial["branch"] = borrower.branch_id
    form = BorrowerForm(request.POST or None, initial=initial, branches=queries.branches_for(user))
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form,
            services.update_borrower,
            borrower=borrower,
            details=_borrower_details(form),
            by=user,
        )
        if saved is not None:
            messages.success(request, "The borrower's details are saved.")
            return redirect(saved)
    return render(
        request,
        "lending/borrower_form.html",
        {"form": form, "borrower": borrower},
        status=_status(form),
    )


def _borrower_page(
    request: HttpRequest, borrower: Any, *, status: int = 200, hold_form: Any = None
) -> HttpResponse:
    user = signed_in_user(request)
    services.record_viewed(borrower=borrower, by=user)
    holds = queries.borrower_holds(borrower)
    return render(
        request,
        "lending/borrower.html",
        {
            "borrower": borrower,
            "loans": queries.borrower_loans(borrower),
            "holds": [(hold, queries.queue_position(hold)) for hold in holds],
            "hold_form": hold_form
            or HoldForm(
                initial={"branch": borrower.branch_id}, branches=queries.branches_for(user)
            ),
            "form": hold_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff()
@require_safe
def borrower(request: HttpRequest, reference: str) -> HttpResponse:
    return _borrower_page(request, _borrower(request, reference))


@staff()
@require_POST
def place_hold(request: HttpRequest, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    borrower = _borrower(request, reference)
    form = HoldForm(request.POST, branches=queries.branches_for(user))
    if form.is_valid():
        hold = call_with_form(
            form,
            services.place_hold,
            borrower=borrower,
            kind=form.cleaned_data["kind"],
            branch=form.cleaned_data["branch"],
            by=user,
        )
        if hold is not None:
            messages.success(request, _hold_message(hold))
            return redirect(borrower)
    return _borrower_page(request, borrower, status=_status(form), hold_form=form)


def _hold_message(hold: Any) -> str:
    if hold.device_id:
        until = timezone.localtime(hold.expires_at)
        return f"{hold.device.asset_tag} is held for {hold.borrower.name} until {until:%d/%m/%Y}."
    return (
        f"{hold.borrower.name} is number {queries.queue_position(hold)} in the queue for a "
        f"{hold.get_kind_display().lower()} at {hold.branch.name}."
    )


@staff()
@require_POST
def cancel_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = queries.hold_for(signed_in_user(request), pk)
    if hold is None:
        raise Http404
    with refusals_as_messages(request):
        services.cancel_hold(hold=hold, by=signed_in_user(request))
        messages.success(request, "The hold is cancelled.")
    return redirect(hold.borrower)


@staff()
@require_safe
def holds(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(queries.hold_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "lending/holds.html",
        {"page": page, "query": query_without(request, "page")},
    )


@login_required
@permission_required("lending.manage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def hold_from_referral(request: HttpRequest, reference: str) -> HttpResponse:
    """From a help request: the resident joins the queue in one step."""
    user = signed_in_user(request)
    help_request = helpdesk_queries.requests_visible_to(user).filter(reference=reference).first()
    if help_request is None:
        raise Http404
    branches = queries.branches_for(user)
    form = HoldForm(
        request.POST or None,
        initial={"branch": help_request.organisation_id, "kind": DeviceKind.TABLET},
        branches=branches,
    )
    if request.method == "POST" and form.is_valid():
        hold = call_with_form(
            form,
            services.hold_from_referral,
            help_request=help_request,
            kind=form.cleaned_data["kind"],
            branch=form.cleaned_data["branch"],
            by=user,
        )
        if hold is not None:
            messages.success(request, _hold_message(hold))
            return redirect(hold.borrower)
    return render(
        request,
        "lending/referral.html",
        {"help_request": help_request, "form": form},
        status=_status(form),
    )


# Rules and reports -------------------------------------------------------------


@staff("lending.edit_rules")
@require_safe
def rules_list(request: HttpRequest) -> HttpResponse:
    return render(request, "lending/rules.html", {"rules": queries.rules_by_kind()})


@staff("lending.edit_rules")
@require_http_methods(["GET", "POST"])
def edit_rule(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in DeviceKind.values:
        raise Http404
    rule = services.rule_for(kind)
    form = RuleForm(
        request.POST or None,
        initial={name: getattr(rule, name) for name in services.RULE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, services.save_rule, kind=kind, by=signed_in_user(request), **form.cleaned_data
        )
        if saved is not None:
            messages.success(
                request, f"The rules for {saved.get_kind_display().lower()}s are saved."
            )
            return redirect("lending:rules")
    return render(
        request, "lending/rule_form.html", {"form": form, "rule": rule}, status=_status(form)
    )


@staff("lending.view_reports")
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    figures = queries.report(signed_in_user(request))
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        rows = _report_rows(figures)
        return spreadsheet_response(
            fmt, filename="lending-report", header=["Measure", "Value"], rows=rows
        )
    return render(
        request,
        "lending/report.html",
        {"figures": figures, "statuses": DeviceStatus.choices},
    )


def _report_rows(figures: queries.Report) -> list[list[Any]]:
    labels = dict(DeviceStatus.choices)
    rows: list[list[Any]] = [[f"Devices: {labels[s]}", n] for s, n in figures.statuses.items()]
    rows.append(["Loans overdue", figures.overdue])
    rows += [[f"Loans issued in {month}", n] for month, n in figures.per_month]
    rows += [[f"Loans from {branch}", n] for branch, n in figures.per_branch]
    rows.append(["Average loan length (days)", figures.average_days or ""])
    rows.append(["Borrowers", figures.borrowers])
    rows.append(["Borrowers who went on to do something online", figures.went_online])
    return rows
