"""The organisers' back office: plan, publish and run events. Every view needs
the events.manage_event permission, finds the event through
queries.events_managed_by, and changes things only on POST through a service."""

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from rules.contrib.views import permission_required

from fingerpost.core import outbox, spreadsheets
from fingerpost.core.errors import call_with_form, refusals_as_messages
from fingerpost.core.timeformat import govuk_date_time
from fingerpost.core.views import signed_in_user

from . import exports, queries, services
from .models import (
    Booking,
    BookingStatus,
    Event,
    EventStatus,
    FeedbackQuestion,
    RegistrationQuestion,
)
from .organiser_forms import (
    MAX_FEEDBACK_QUESTIONS,
    MAX_REGISTRATION_QUESTIONS,
    BookingActionForm,
    CheckInSearchForm,
    EventForm,
    FeedbackQuestionForm,
    RegistrationQuestionForm,
    RemoveQuestionForm,
    RepeatForm,
    WalkInForm,
    default_event_initial,
)

PAGE_SIZE = 50
TEMPLATES = "events/organiser"


# Who is acting: every change and every look at a list of people names them.
_by = signed_in_user


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(queries.events_managed_by(request.user), pk=pk)


def _posted(request: HttpRequest) -> Any:
    """Form data on POST (even an empty body, so it is checked); None on GET."""
    return request.POST if request.method == "POST" else None


def _booking(event: Event, booking_id: int) -> Booking:
    return get_object_or_404(queries.event_bookings(event), pk=booking_id)


def _when(value: datetime | None) -> str:
    """Like '27 March 2027 at 6:30pm'."""
    if value is None:
        return ""
    return govuk_date_time(value, "j F Y")


# ---------------------------------------------------------------- planning


@login_required
@permission_required("events.manage_event", raise_exception=True)
def manage_list(request: HttpRequest) -> HttpResponse:
    events = queries.managed_event_list(request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, f"{TEMPLATES}/manage_list.html", {"page": page})


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = EventForm(_posted(request), initial=default_event_initial(contact_email=user.email))
    if form.is_valid():
        event = form.save(commit=False)
        event.organiser = user
        event.status = EventStatus.DRAFT
        services.save_event(event=event, by=user)
        messages.success(request, "Saved as a draft. Add any questions, then publish it.")
        return redirect("events:overview", pk=event.pk)
    return render(request, f"{TEMPLATES}/event_form.html", {"form": form, "event": None})


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = EventForm(_posted(request), instance=event)
    if form.is_valid() and call_with_form(
        form, services.save_event, event=form.save(commit=False), by=_by(request)
    ):
        messages.success(request, "Your changes are saved.")
        return redirect("events:overview", pk=event.pk)
    return render(request, f"{TEMPLATES}/event_form.html", {"form": form, "event": event})


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_overview(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(
        request,
        f"{TEMPLATES}/overview.html",
        {
            "event": event,
            "counts": queries.booking_counts(event),
            "question_count": len(queries.registration_questions(event)),
            "feedback_question_count": len(queries.feedback_questions(event)),
        },
    )


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event.status != EventStatus.DRAFT:
        messages.info(request, "Only draft events can be published.")
        return redirect("events:overview", pk=event.pk)
    if request.method == "POST":
        with refusals_as_messages(request):
            services.publish_event(event=event, by=_by(request))
            messages.success(request, "Published. People can now find and book this event.")
        return redirect("events:overview", pk=event.pk)
    return render(request, f"{TEMPLATES}/publish.html", {"event": event})


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event.status == EventStatus.CANCELLED:
        messages.info(request, "This event is already cancelled.")
        return redirect("events:overview", pk=event.pk)
    if request.method == "POST":
        told = services.cancel_event(event=event, by=_by(request))
        if told:
            people = "person who was" if told == 1 else "people who were"
            messages.success(
                request,
                f"The event is cancelled. We are emailing the {told} {people} booked or waiting.",
            )
        else:
            messages.success(request, "The event is cancelled. Nobody had booked.")
        return redirect("events:overview", pk=event.pk)
    counts = queries.booking_counts(event)
    return render(request, f"{TEMPLATES}/cancel.html", {"event": event, "counts": counts})


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if request.method == "POST":
        copy = services.copy_event(event=event, by=_by(request))
        messages.success(request, "Copied. Add the new dates, then publish.")
        return redirect("events:edit", pk=copy.pk)
    return render(request, f"{TEMPLATES}/copy.html", {"event": event})


@login_required
@permission_required("events.manage_event", raise_exception=True)
def event_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = RepeatForm(_posted(request))
    if form.is_valid():
        sessions = call_with_form(
            form,
            services.create_weekly_sessions,
            event=event,
            by=_by(request),
            weeks=form.cleaned_data["weeks"],
        )
        if sessions is not None:
            if sessions:
                last = dateformat.format(timezone.localtime(sessions[-1].starts_at), "j F Y")
                messages.success(
                    request,
                    f"Added {len(sessions)} weekly "
                    f"{'session' if len(sessions) == 1 else 'sessions'}, the last on {last}.",
                )
            else:
                messages.info(request, "The series already has a session in each of those weeks.")
            return redirect("events:manage_list")
    return render(request, f"{TEMPLATES}/repeat.html", {"event": event, "form": form})


# ---------------------------------------------------------------- questions


def _questions_page(
    request: HttpRequest,
    pk: int,
    *,
    model: type[RegistrationQuestion] | type[FeedbackQuestion],
    form_class: type[RegistrationQuestionForm] | type[FeedbackQuestionForm],
    most: int,
    url_name: str,
    template: str,
) -> HttpResponse:
    event = _event(request, pk)
    form = form_class()
    if request.method == "POST" and "remove" in request.POST:
        remove = RemoveQuestionForm(request.POST)
        if not remove.is_valid():
            raise Http404("No such question")
        question = queries.event_question(event, model, remove.cleaned_data["remove"])
        if question is None:
            raise Http404("No such question")
        services.remove_question(question=question, by=_by(request))
        messages.success(request, f"Removed the question: {question.text}")
        return redirect(f"events:{url_name}", pk=event.pk)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid() and call_with_form(
            form,
            services.add_question,
            event=event,
            model=model,
            most=most,
            by=_by(request),
            **form.cleaned_data,
        ):
            messages.success(request, "Question added.")
            return redirect(f"events:{url_name}", pk=event.pk)
    questions = (
        queries.registration_questions(event)
        if model is RegistrationQuestion
        else queries.feedback_questions(event)
    )
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {"event": event, "form": form, "questions": questions, "most": most},
    )


@login_required
@permission_required("events.manage_event", raise_exception=True)
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    return _questions_page(
        request,
        pk,
        model=RegistrationQuestion,
        form_class=RegistrationQuestionForm,
        most=MAX_REGISTRATION_QUESTIONS,
        url_name="questions",
        template="questions.html",
    )


@login_required
@permission_required("events.manage_event", raise_exception=True)
def feedback_questions(request: HttpRequest, pk: int) -> HttpResponse:
    return _questions_page(
        request,
        pk,
        model=FeedbackQuestion,
        form_class=FeedbackQuestionForm,
        most=MAX_FEEDBACK_QUESTIONS,
        url_name="feedback_questions",
        template="feedback_questions.html",
    )


# ---------------------------------------------------------------- people


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    services.record_list_viewed(event=event, by=_by(request), what="attendee list")
    attendee_list = queries.attendee_list(event)
    failures = outbox.failures_about(
        "booking", [attendee.booking.reference for attendee in attendee_list.attendees]
    )
    return render(
        request,
        f"{TEMPLATES}/attendees.html",
        {
            "event": event,
            "attendee_list": attendee_list,
            "message_failures": [m for found in failures.values() for m in found],
            "undelivered": set(failures),
        },
    )


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def attendees_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in spreadsheets.FORMATS:
        raise Http404("No such format")
    event = _event(request, pk)
    header, rows = exports.attendee_rows(queries.attendee_list(event))
    services.record_list_viewed(event=event, by=_by(request), what="attendee list", export=fmt)
    return spreadsheets.spreadsheet_response(
        fmt, filename=exports.export_filename(event, "attendees"), header=header, rows=rows
    )


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if request.method == "POST":
        action = BookingActionForm(request.POST, actions=["up", "down", "offer"])
        if not action.is_valid():
            messages.error(request, "Something went wrong. Try again.")
            return redirect("events:waiting_list", pk=event.pk)
        booking = _booking(event, action.cleaned_data["booking"])
        with refusals_as_messages(request):
            if action.cleaned_data["action"] == "offer":
                offered = services.offer_place_by_hand(booking=booking, by=_by(request))
                messages.success(
                    request,
                    f"Offered a place to {offered.name}. We have emailed them: they have "
                    f"until {_when(offered.offer_expires_at)} to accept it.",
                )
            else:
                services.move_in_waiting_list(
                    booking=booking, by=_by(request), up=action.cleaned_data["action"] == "up"
                )
                messages.success(request, f"Moved {booking.name}.")
        return redirect("events:waiting_list", pk=event.pk)
    services.record_list_viewed(event=event, by=_by(request), what="waiting list")
    return render(
        request,
        f"{TEMPLATES}/waiting_list.html",
        {
            "event": event,
            "waiting": list(queries.waiting_list(event)),
            "offers": queries.open_offers(event),
        },
    )


# ---------------------------------------------------------------- on the day


def _early(request: HttpRequest) -> bool:
    """The person running the event chose to open check-in before the day."""
    return request.POST.get("early", request.GET.get("early", "")) == "1"


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if request.method == "POST":
        action = BookingActionForm(request.POST, actions=["check_in", "undo"])
        back = reverse("events:check_in", kwargs={"pk": event.pk})
        search = request.POST.get("q", "").strip()[:150]
        kept = {"q": search} if search else {}
        if _early(request):
            kept["early"] = "1"
        if kept:
            back += "?" + urlencode(kept)
        if not action.is_valid():
            messages.error(request, "Something went wrong. Try again.")
            return redirect(back)
        booking = _booking(event, action.cleaned_data["booking"])
        with refusals_as_messages(request):
            if action.cleaned_data["action"] == "check_in":
                services.check_in(booking=booking, by=_by(request), early=_early(request))
                messages.success(request, f"Checked in {booking.name}.")
            else:
                services.undo_check_in(booking=booking, by=_by(request))
                messages.success(request, f"{booking.name} is no longer checked in.")
        return redirect(back)
    search_form = CheckInSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    results = queries.check_in_search(event, query)
    services.record_list_viewed(event=event, by=_by(request), what="check-in list")
    return render(
        request,
        f"{TEMPLATES}/check_in.html",
        {
            "event": event,
            "form": search_form,
            "query": query,
            "results": results,
            "limit": queries.CHECK_IN_RESULTS_LIMIT,
            "counts": queries.booking_counts(event),
            "check_in_open": event.check_in_is_open(),
            "early": _early(request),
        },
    )


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def check_in_scan(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """The address in the check-in code on the confirmation email."""
    event = _event(request, pk)
    booking = get_object_or_404(queries.event_bookings(event), reference__iexact=reference.strip())
    if request.method == "POST":
        with refusals_as_messages(request):
            services.check_in(booking=booking, by=_by(request), early=_early(request))
            messages.success(request, f"Checked in {booking.name}.")
            return redirect("events:check_in", pk=event.pk)
        return redirect("events:check_in_scan", pk=event.pk, reference=booking.reference)
    services.record_list_viewed(
        event=event, by=_by(request), what=f"check-in of booking {booking.reference}"
    )
    return render(
        request,
        f"{TEMPLATES}/check_in_scan.html",
        {
            "event": event,
            "booking": booking,
            "confirmed": BookingStatus.CONFIRMED,
            "check_in_open": event.check_in_is_open(),
            "early": _early(request),
        },
    )


@login_required
@permission_required("events.manage_event", raise_exception=True)
def walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = WalkInForm(
        _posted(request), initial={"places": 1, "submission_key": f"walk-in:{uuid.uuid4().hex}"}
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key") or None
        booking = call_with_form(
            form,
            services.record_walk_in,
            event=event,
            by=_by(request),
            idempotency_key=key,
            early=_early(request),
            **data,
        )
        if booking is not None:
            messages.success(request, f"Recorded {booking.name} as a walk-in and checked them in.")
            return redirect("events:check_in", pk=event.pk)
    return render(request, f"{TEMPLATES}/walk_in.html", {"event": event, "form": form})


# ---------------------------------------------------------------- afterwards


@login_required
@permission_required("events.manage_event", raise_exception=True)
def feedback_results(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(
        request,
        f"{TEMPLATES}/feedback_results.html",
        {"event": event, "summary": queries.feedback_summary(event)},
    )


@never_cache
@login_required
@permission_required("events.manage_event", raise_exception=True)
def feedback_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in spreadsheets.FORMATS:
        raise Http404("No such format")
    event = _event(request, pk)
    header, rows = exports.feedback_rows(event)
    return spreadsheets.spreadsheet_response(
        fmt, filename=exports.export_filename(event, "feedback"), header=header, rows=rows
    )
