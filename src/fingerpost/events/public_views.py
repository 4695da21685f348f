"""Finding an event and booking a place, without an account.

The booking flow is GOV.UK question pages: your details, the organiser's
questions (if any), check your answers, confirmation. Answers wait in the
browser's signed booking cookie (booking_cookie.py) until the last step,
which carries a one-time submission key so a double-click or a retried POST
finds the booking it already made.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fingerpost.core import limits
from fingerpost.core.errors import Invalid, refusals_as_messages
from fingerpost.core.page_cache import render_form_page, render_page, row_version
from fingerpost.core.views import query_without, user_if_signed_in
from fingerpost.organisations.queries import first_verified_organisation

from . import booking_cookie, notifications, queries, services
from .answers import clean_answers, format_answer
from .models import Booking, BookingStatus, Event
from .public_forms import BookingDetailsForm, EventFilterForm, FeedbackForm, RegistrationAnswersForm
from .rules import may_book

PAGE_SIZE = 20


def _public_event_or_404(pk: int) -> Event:
    try:
        return queries.public_event(pk)
    except Event.DoesNotExist:
        raise Http404("No such event") from None


def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilterForm(request.GET or None)
    kind = audience = None
    if filters.is_valid():
        kind = filters.cleaned_data["kind"] or None
        audience = filters.cleaned_data["audience"] or None
    events = queries.PublicEventList(kind=kind, audience=audience, now=timezone.now())
    # A Paginator needs only count() and slicing, which PublicEventList has.
    paginator: Paginator[Event] = Paginator(events, PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    # Read fresh, rendered once for these rows and counts (core/page_cache.py).
    shown = tuple(row_version(e, *COUNTS) for e in page.object_list)
    return render_page(
        request,
        "events/event_list.html",
        {"page": page, "filters": filters, "query": query_without(request, "page")},
        key=(page.number, page.paginator.count, shown),
    )


COUNTS = ("places_taken", "places_left", "waiting_count")


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event_or_404(pk)
    now = timezone.now()
    booking_open = event.booking_is_open(now)
    opens_later = bool(event.booking_opens_at and event.booking_opens_at > now)
    allowed = may_book(user_if_signed_in(request), event)
    return render_page(
        request,
        "events/event_detail.html",
        {"event": event, "may_book": allowed, "booking_open": booking_open, "now": now},
        key=(row_version(event, *COUNTS), allowed, booking_open, opens_later),
    )


def _open_event_or_closed_page(request: HttpRequest, pk: int) -> Event | HttpResponse:
    event = _public_event_or_404(pk)
    if not may_book(user_if_signed_in(request), event):
        # Staff-only: sign in first; a signed-in account that is not yet a
        # verified member is told why it cannot book.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "events/staff_only.html", {"event": event}, status=403)
    if not event.booking_is_open():
        return render(request, "events/booking_closed.html", {"event": event}, status=200)
    return event


def _details_from_account(request: HttpRequest) -> dict[str, str]:
    """A signed-in person's name, email and organisation, to start the form with."""
    user = user_if_signed_in(request)
    if user is None:
        return {}
    organisation = first_verified_organisation(user)
    return {
        "name": user.full_name,
        "email": user.email,
        "organisation_name": organisation.name if organisation else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
@booking_cookie.keeps_booking_state
def book_details(request: HttpRequest, pk: int) -> HttpResponse:
    event = _open_event_or_closed_page(request, pk)
    if isinstance(event, HttpResponse):
        return event
    saved = booking_cookie.saved_answers(request, event.pk)
    form = BookingDetailsForm(
        request.POST if request.method == "POST" else None,
        event=event,
        initial=saved.get("details") or _details_from_account(request),
    )
    if request.method == "POST" and form.is_valid():
        saved["details"] = form.cleaned_data
        booking_cookie.save_answers(request, event.pk, saved)
        if queries.registration_questions(event):
            return redirect("events:book_questions", pk=event.pk)
        return redirect("events:book_check", pk=event.pk)
    context = {"event": event, "form": form}
    if request.method == "GET" and not saved and not request.user.is_authenticated:
        # An empty form, the same for every visitor but for its CSRF token:
        # rendered once for this event as it is now. It shows the places left
        # (to a group) but not the waiting list, so joining that keeps the page.
        return render_form_page(
            request, "events/book_details.html", context, key=row_version(event, "places_left")
        )
    return render(request, "events/book_details.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@booking_cookie.keeps_booking_state
def book_questions(request: HttpRequest, pk: int) -> HttpResponse:
    event = _open_event_or_closed_page(request, pk)
    if isinstance(event, HttpResponse):
        return event
    saved = booking_cookie.saved_answers(request, event.pk)
    booked = _booked_here(request, event)
    if "details" not in saved and booked is not None:
        return redirect("events:booking_done", reference=booked)
    if "details" not in saved:
        return redirect("events:book", pk=event.pk)
    questions = queries.registration_questions(event)
    initial = {f"q{key}": value for key, value in saved.get("answers", {}).items()}
    form = RegistrationAnswersForm(
        request.POST if request.method == "POST" else None, questions=questions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved["answers"] = form.answers()
        booking_cookie.save_answers(request, event.pk, saved)
        return redirect("events:book_check", pk=event.pk)
    return render(request, "events/book_questions.html", {"event": event, "form": form})


@never_cache
@booking_cookie.keeps_booking_state
def book_start_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear unfinished answers (someone else's, on a shared computer)."""
    booking_cookie.clear_answers(request, _public_event_or_404(pk).pk)
    messages.info(request, "Your answers have been cleared.")
    return redirect("events:detail", pk=pk)


SUBMISSION_KEY_SALT = "fingerpost.events.booking-submission"


def _done_once(request: HttpRequest, booking: Booking) -> HttpResponse:
    booking_cookie.show_once(request, booking.token)
    return redirect("events:booking_done", reference=booking.reference)


def _key_signature(browser_id: str, event: Event, nonce: str) -> str:
    value = f"{event.pk}:{browser_id}:{nonce}"
    return salted_hmac(SUBMISSION_KEY_SALT, value, algorithm="sha256").hexdigest()[:32]


def _issue_submission_key(request: HttpRequest, event: Event) -> str:
    """A one-time key for the check-answers form, so a double click books
    once. It is signed for this browser (the random id in its booking
    cookie) and this event, so a key made anywhere else (forged, or another
    client's) books nothing; signing instead of remembering it keeps this
    page from writing anything."""
    nonce = uuid.uuid4().hex
    browser_id = booking_cookie.state(request).ensure_browser_id()
    return f"web:{nonce}:{_key_signature(browser_id, event, nonce)}"


def _submitted_key(request: HttpRequest, event: Event) -> str:
    """The booking's idempotency key from a key this browser was given, or ""."""
    prefix, _, rest = request.POST.get("submission_key", "")[:80].partition(":")
    nonce, _, signature = rest.partition(":")
    browser_id = booking_cookie.state(request).browser_id
    if prefix != "web" or not nonce or not browser_id:
        return ""
    if not constant_time_compare(signature, _key_signature(browser_id, event, nonce)):
        return ""
    return f"web:{nonce}"


@never_cache
@require_http_methods(["GET", "POST"])
@booking_cookie.keeps_booking_state
def book_check(request: HttpRequest, pk: int) -> HttpResponse:
    event = _open_event_or_closed_page(request, pk)
    if isinstance(event, HttpResponse):
        return event
    saved = booking_cookie.saved_answers(request, event.pk)
    submission_key = ""
    if request.method == "POST":
        # Only a key this browser was given counts: anyone else's key (an API
        # client's, the help desk's) must never lead to that booking's link.
        submission_key = _submitted_key(request, event)
        if "details" not in saved:
            # A repeat of a submission that booked (and so cleared the
            # answers): show that booking. While the answers are still here,
            # book_places finds a booking made with this key by itself.
            already = queries.booking_with_key(event, submission_key)
            if already is not None:
                return _done_once(request, already)
    if "details" not in saved:
        booked = _booked_here(request, event)
        if booked is not None:
            # Back after booking: the booking was made, so show it.
            return redirect("events:booking_done", reference=booked)
        messages.info(request, "Your answers were not saved. Please start again.")
        return redirect("events:book", pk=event.pk)
    questions = queries.registration_questions(event)
    answers = saved.get("answers", {})
    try:
        clean_answers(questions, answers)
    except Invalid:
        # Someone who went straight to this page has not answered the questions yet.
        return redirect("events:book_questions", pk=event.pk)
    if request.method == "POST" and submission_key:
        details = saved["details"]
        limits.check(request, "bookings", email=details["email"])
        result = None
        with refusals_as_messages(request):
            result = services.book_places(
                event_id=event.pk,
                name=details["name"],
                email=details["email"],
                organisation_name=details.get("organisation_name", ""),
                places=_places_to_book(request, details),
                answers={str(q.pk): answers[str(q.pk)] for q in questions if str(q.pk) in answers},
                idempotency_key=submission_key,
                by=user_if_signed_in(request),
            )
        if result is None:
            return redirect("events:detail", pk=event.pk)
        booking_cookie.clear_answers(request, event.pk)
        booking = result.booking
        if result.created:
            booking_cookie.remember_booking(request, event.pk, booking.reference)
        if not result.created and booking.idempotency_key != submission_key:
            # The address already holds a booking. Its private link goes only to
            # that inbox, never to whoever typed the address in here.
            notifications.remind_of_existing_booking(booking)
            return render(request, "events/already_booked.html", {"event": event})
        return _done_once(request, booking)
    rows = [(q.text, format_answer(q, answers.get(str(q.pk))) or "Not answered") for q in questions]
    return render(
        request,
        "events/book_check.html",
        {
            "event": event,
            "details": saved["details"],
            "answer_rows": rows,
            "submission_key": _issue_submission_key(request, event),
        },
    )


# Long enough to press Back; short, since library PCs are shared.
BOOKED_REMEMBERED_SECONDS = 30 * 60


def _booked_here(request: HttpRequest, event: Event) -> str | None:
    """The reference of the booking this browser made for the event in the
    last half hour."""
    return booking_cookie.booked_reference(request, event.pk, within=BOOKED_REMEMBERED_SECONDS)


def _places_to_book(request: HttpRequest, details: dict[str, Any]) -> int:
    """The places asked for, or fewer when the person chose to book only the
    places left rather than wait (the button on the check-answers page)."""
    asked = int(details.get("places") or 1)
    chosen = request.POST.get("places", "")
    if chosen.isdigit() and 1 <= int(chosen) < asked:
        return int(chosen)
    return asked


def _booking_or_404(token: str) -> Booking:
    return get_object_or_404(queries.booking_by_token(token))


@never_cache
@booking_cookie.keeps_booking_state
def booking_done(request: HttpRequest, reference: str) -> HttpResponse:
    # By the reference, not the private token: the address stays in the
    # browser's history, and the token would open the booking to change or
    # cancel it for whoever uses the computer next.
    booking = get_object_or_404(queries.booking_by_reference(reference))
    if not booking_cookie.take_show_once(request, booking.token):
        # Seen once already (or never booked from this browser): on a shared
        # PC, the address in the history must not show the next person anything.
        return render(request, "events/booking_done_neutral.html", {"event": booking.event})
    return render(
        request,
        "events/booking_done.html",
        {
            "booking": booking,
            "event": booking.event,
            "position": queries.waiting_position(booking),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_booking(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    if request.method == "POST":
        action = request.POST.get("action")
        with refusals_as_messages(request):
            if action == "cancel":
                services.cancel_booking(booking=booking, by=user_if_signed_in(request))
                messages.success(
                    request,
                    "You have left the waiting list"
                    if booking.status == BookingStatus.WAITING
                    else "Your booking is cancelled",
                )
            elif action == "places":
                chosen = request.POST.get("places", "")
                if not chosen.isdigit():
                    raise Invalid("Choose how many places you need", field="places")
                services.change_places(
                    booking=booking, places=int(chosen), by=user_if_signed_in(request)
                )
                messages.success(
                    request,
                    f"Your booking is now for {chosen} place{'s' if chosen != '1' else ''}",
                )
            elif action == "claim":
                services.claim_offer(booking=booking, by=user_if_signed_in(request))
                messages.success(request, "The place is yours. We have emailed your confirmation")
            else:
                messages.error(request, "Choose what you want to do")
        return redirect("events:manage_booking", token=token)
    return render(
        request,
        "events/manage_booking.html",
        {
            "booking": booking,
            "event": booking.event,
            "can_cancel": queries.can_still_cancel(booking, event=booking.event),
            "position": queries.waiting_position(booking),
            "confirming_cancel": request.GET.get("cancel") == "1",
            "place_choices": range(1, booking.event.max_places_per_booking + 1),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    event = booking.event
    questions = queries.feedback_questions(event)
    if booking.checked_in_at is None or not questions:
        return render(request, "events/feedback_unavailable.html", {"event": event})
    form = FeedbackForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        services.submit_feedback(booking=booking, answers=form.answers())
        return render(request, "events/feedback_thanks.html", {"event": event})
    return render(request, "events/feedback.html", {"event": event, "form": form})
