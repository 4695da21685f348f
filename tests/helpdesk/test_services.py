from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.errors import Conflict, Invalid, Stale
from fingerpost.core.models import AuditEntry
from fingerpost.events.models import Booking, BookingStatus
from fingerpost.helpdesk import services
from fingerpost.helpdesk.models import HelpRequest, Status, TimelineKind
from fingerpost.helpdesk.services import intake

from ..champions.factories import ready_champion
from ..factories import (
    EventFactory,
    HelpRequestFactory,
    OrganisationFactory,
    UserFactory,
    grant_role,
)


def answers(**overrides) -> services.IntakeAnswers:
    values = {
        "needs": ["video_calls", "email"],
        "name": "Margaret Jones",
        "phone": "01305 123456",
        "email": "Margaret@Example.org",
        "postcode_or_town": "dt1 1aa",
        "consent_to_share": True,
        "help_modes": ["library"],
    }
    values.update(overrides)
    return services.IntakeAnswers(**values)


@pytest.fixture
def library(db):
    return OrganisationFactory(name="County Libraries", kind="library")


@pytest.mark.django_db(transaction=True)
def test_a_resident_asks_for_help(library) -> None:
    request = services.submit_request(answers=answers())
    assert request.organisation == library
    assert request.status == Status.NEW
    assert request.email == "margaret@example.org"
    assert request.area == "DT1"
    assert sorted(n.need for n in request.needs.all()) == ["email", "video_calls"]
    assert request.timeline.get().kind == TimelineKind.CREATED
    assert AuditEntry.objects.filter(subject_reference=request.reference, action="create").exists()
    assert len(mail.outbox) == 1 and request.reference in mail.outbox[0].body
    assert f"/get-help/status/{request.token}/" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [{"needs": []}, {"phone": "", "email": ""}],
)
def test_a_request_needs_a_need_and_a_way_to_contact(library, overrides) -> None:
    with pytest.raises(Invalid):
        services.submit_request(answers=answers(**overrides))
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_a_referral_needs_the_residents_consent(library) -> None:
    member = UserFactory(role=Role.MEMBER)
    with pytest.raises(Invalid, match="agreed"):
        services.submit_request(answers=answers(consent_to_share=False), referred_by=member)
    request = services.submit_request(answers=answers(), referred_by=member, channel="referral")
    assert request.referred_by == member


@pytest.mark.django_db
def test_from_new_to_closed_with_a_timeline(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    champion = ready_champion()
    request = services.submit_request(answers=answers())
    request = services.triage(
        request=request,
        by=coordinator,
        expected_version=request.version,
        priority=3,
        needs=["video_calls"],
    )
    assert request.status == Status.TRIAGED and request.priority == 3
    request = services.assign(
        request=request, by=coordinator, expected_version=request.version, champion=champion
    )
    assert request.status == Status.ASSIGNED and request.assigned_to == champion
    request = services.record_contact(
        request=request, by=champion, expected_version=request.version, reached=True
    )
    assert request.status == Status.IN_PROGRESS and request.first_contact_at is not None
    with pytest.raises(Invalid, match="can now do"):
        services.close(
            request=request, by=champion, expected_version=request.version, outcome="helped"
        )
    request = services.close(
        request=request,
        by=champion,
        expected_version=request.version,
        outcome="helped",
        detail="Can now video call her grandson",
    )
    assert request.status == Status.CLOSED and request.closed_at is not None
    entries = list(request.timeline.values_list("kind", "detail"))
    assert [kind for kind, _ in entries] == [
        "created",
        "status",
        "priority",
        "needs",
        "status",
        "assigned",
        "status",
        "contact",
        "closed",
    ]
    assert [detail for kind, detail in entries if kind == "status"] == [
        "New to Triaged",
        "Triaged to Assigned",
        "Assigned to In progress",
    ]
    # Closed is closed: nothing but a note changes it now.
    for change in (
        lambda: services.triage(
            request=request,
            by=champion,
            expected_version=request.version,
            priority=1,
            needs=["email"],
        ),
        lambda: services.record_contact(
            request=request, by=champion, expected_version=request.version, reached=True
        ),
        lambda: services.close(
            request=request, by=champion, expected_version=request.version, outcome="declined"
        ),
    ):
        with pytest.raises(Conflict, match="This request is closed"):
            change()
    services.add_note(request=request, by=champion, text="Sent her a leaflet too")
    request.refresh_from_db()
    assert request.outcome == "helped" and request.timeline.count() == 10


@pytest.mark.django_db
def test_two_coordinators_at_once_one_wins_and_the_other_is_told(library) -> None:
    first = UserFactory(role=Role.COORDINATOR)
    second = UserFactory(role=Role.COORDINATOR)
    request = services.submit_request(answers=answers())
    seen_version = request.version
    services.triage(
        request=request, by=first, expected_version=seen_version, priority=4, needs=["email"]
    )
    with pytest.raises(Stale, match="Someone else changed"):
        services.triage(
            request=HelpRequest.objects.get(pk=request.pk),
            by=second,
            expected_version=seen_version,
            priority=1,
            needs=["other"],
        )
    request.refresh_from_db()
    assert request.priority == 4
    assert [n.need for n in request.needs.all()] == ["email"]


@pytest.mark.django_db
def test_no_contact_needs_the_tries_first(library, settings) -> None:
    settings.FINGERPOST_HELPDESK_CONTACT_TRIES = 2
    coordinator = UserFactory(role=Role.COORDINATOR)
    request = services.submit_request(answers=answers())
    request = services.record_contact(
        request=request, by=coordinator, expected_version=request.version, reached=False
    )
    with pytest.raises(Invalid, match="2 times"):
        services.close(
            request=request, by=coordinator, expected_version=request.version, outcome="no_contact"
        )
    request = services.record_contact(
        request=request, by=coordinator, expected_version=request.version, reached=False
    )
    assert request.first_contact_at is None
    services.close(
        request=request, by=coordinator, expected_version=request.version, outcome="no_contact"
    )


@pytest.mark.django_db
def test_assigning_needs_a_champion_and_consent(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    request = services.submit_request(answers=answers(consent_to_share=False))
    with pytest.raises(Invalid, match="Choose an active digital champion"):
        services.assign(
            request=request,
            by=coordinator,
            expected_version=request.version,
            champion=UserFactory(role=Role.MEMBER),
        )
    with pytest.raises(Invalid, match="not agreed"):
        services.assign(
            request=request,
            by=coordinator,
            expected_version=request.version,
            champion=UserFactory(role=Role.CHAMPION),
        )


@pytest.mark.django_db(transaction=True)
def test_safeguarding_alerts_the_lead_without_personal_details(library) -> None:
    lead = UserFactory(role=Role.COORDINATOR, email="lead@example.org")
    library.safeguarding_lead = lead
    library.save()
    coordinator = UserFactory(role=Role.COORDINATOR, full_name="Chris Coordinator")
    request = services.submit_request(answers=answers())
    mail.outbox.clear()
    request = services.flag_safeguarding(
        request=request,
        by=coordinator,
        expected_version=request.version,
        detail="Mentioned someone takes her pension",
    )
    assert request.safeguarding_concern and request.priority == 4
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "Margaret" not in mail.outbox[0].body and "pension" not in mail.outbox[0].body
    assert request.timeline.get(kind="safeguarding").restricted


@pytest.mark.django_db
def test_retention_anonymises_closed_requests_and_keeps_statistics(library, settings) -> None:
    settings.FINGERPOST_HELPDESK_RETENTION_DAYS = 365
    old = HelpRequestFactory(
        organisation=library,
        status="closed",
        outcome="helped",
        outcome_detail="Set up email for Mrs Jones",
        closed_at=timezone.now() - timedelta(days=400),
    )
    recent = HelpRequestFactory(
        organisation=library,
        status="closed",
        outcome="helped",
        closed_at=timezone.now() - timedelta(days=10),
    )
    still_open = HelpRequestFactory(
        organisation=library, created_at=timezone.now() - timedelta(days=900)
    )
    assert services.anonymise_due_requests() == 1
    assert services.anonymise_due_requests() == 0
    old.refresh_from_db()
    assert old.name == old.phone == old.email == old.outcome_detail == ""
    assert old.anonymised_at is not None
    assert old.area == "DT1" and old.outcome == "helped"
    assert [n.need for n in old.needs.all()] == ["email"]
    for other in (recent, still_open):
        other.refresh_from_db()
        assert other.name and other.anonymised_at is None


@pytest.mark.django_db
def test_subject_access_export_and_erasure(library) -> None:
    admin = UserFactory(role=Role.ADMIN)
    mine = HelpRequestFactory(organisation=library, email="sam@example.org", phone="07700900001")
    by_phone = HelpRequestFactory(organisation=library, email="", phone="07700900001")
    someone_else = HelpRequestFactory(organisation=library)
    export = services.subject_access_export(by=admin, phone="07700 900001")
    assert {r["reference"] for r in export["requests"]} == {mine.reference, by_phone.reference}
    assert AuditEntry.objects.filter(action="export").count() == 2
    assert services.erase_resident(by=admin, email="sam@example.org", phone="07700900001") == 2
    mine.refresh_from_db()
    someone_else.refresh_from_db()
    assert mine.name == "" and someone_else.name != ""
    assert AuditEntry.objects.filter(action="erase").count() == 2
    with pytest.raises(Invalid):
        services.subject_access_export(by=admin)


@pytest.mark.django_db(transaction=True)
def test_coordinators_are_reminded_once_a_day_about_waiting_requests(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, email="coord@example.org")
    grant_role(coordinator, Role.COORDINATOR, library)
    HelpRequestFactory(organisation=library, created_at=timezone.now() - timedelta(hours=60))
    HelpRequestFactory(organisation=library)  # not waiting long enough
    mail.outbox.clear()
    assert services.remind_about_waiting_requests() == 1
    assert services.remind_about_waiting_requests() == 0
    assert mail.outbox[0].to == ["coord@example.org"]
    assert mail.outbox[0].subject.startswith("1 request for digital help is waiting")


@pytest.mark.django_db
def test_withdrawing_closes_the_request(library) -> None:
    request = services.submit_request(answers=answers())
    request = services.withdraw(request=request)
    assert request.status == "closed" and request.outcome == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_booking_a_session_uses_the_events_rules_and_shows_on_the_timeline(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    club = EventFactory(title="Tablet club", kind="drop_in", audience="public", capacity=1)
    request = services.submit_request(answers=answers())
    mail.outbox.clear()
    booking = services.book_session_place(
        request=request, by=coordinator, expected_version=request.version, event=club
    )
    request.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.email == "margaret@example.org"
    assert request.event_booking == booking and request.status == Status.IN_PROGRESS
    assert "Place booked at Tablet club" in request.timeline.get(kind=TimelineKind.BOOKED).detail
    assert any("Your place is booked" in m.subject for m in mail.outbox)
    # Asking again for the same session finds the same booking, not a second place.
    again = services.book_session_place(
        request=request, by=coordinator, expected_version=request.version, event=club
    )
    assert again == booking and Booking.objects.filter(event=club).count() == 1

    # The club is now full: a phone-only resident joins the waiting list.
    other = services.submit_request(answers=answers(email="", name="Raj Patel"))
    waiting = services.book_session_place(
        request=other, by=coordinator, expected_version=other.version, event=club
    )
    assert waiting.status == BookingStatus.WAITING and waiting.email == ""
    detail = other.timeline.get(kind="booked").detail
    assert "waiting list for Tablet club" in detail and "(number 1)" in detail


@pytest.mark.django_db
def test_a_session_booking_that_breaks_a_rule_changes_nothing(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    closed = EventFactory(audience="public", booking_closes_at=timezone.now() - timedelta(hours=1))
    request = services.submit_request(answers=answers())
    seen = request.version
    with pytest.raises(Invalid, match="Booking is closed"):
        services.book_session_place(
            request=request, by=coordinator, expected_version=seen, event=closed
        )
    no_consent = services.submit_request(answers=answers(consent_to_share=False))
    with pytest.raises(Invalid, match="agreed"):
        services.book_session_place(
            request=no_consent, by=coordinator, expected_version=no_consent.version, event=closed
        )
    with pytest.raises(Stale):
        services.book_session_place(
            request=request, by=coordinator, expected_version=seen - 1, event=EventFactory()
        )
    request.refresh_from_db()
    assert (
        request.version == seen and request.status == Status.NEW and request.event_booking is None
    )
    assert not Booking.objects.exists()
    assert not request.timeline.filter(kind=TimelineKind.BOOKED).exists()


@pytest.mark.django_db
def test_erasure_also_removes_the_residents_session_booking(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    admin = UserFactory(role=Role.ADMIN)
    request = services.submit_request(answers=answers())
    booking = services.book_session_place(
        request=request,
        by=coordinator,
        expected_version=request.version,
        event=EventFactory(audience="public"),
    )
    export = services.subject_access_export(by=admin, email="margaret@example.org")
    assert export["requests"][0]["sessions_booked"][0]["reference"] == booking.reference
    services.erase_resident(by=admin, email="margaret@example.org")
    booking.refresh_from_db()
    assert booking.email == "" and "Margaret" not in booking.name


@pytest.mark.django_db(transaction=True)
def test_residents_with_only_a_mobile_are_confirmed_by_text(library, sms_outbox) -> None:
    request = services.submit_request(answers=answers(email="", phone="07700 900 123"))
    assert mail.outbox == []
    assert len(sms_outbox) == 1 and sms_outbox[0]["to"] == "07700900123"
    text = sms_outbox[0]["body"]
    assert request.reference in text and f"/get-help/status/{request.token}/" in text
    assert len(text) <= 306
    # A landline cannot take texts; an email address is used when there is one.
    services.submit_request(answers=answers(email="", phone="01305 123456"))
    services.submit_request(answers=answers(phone="07700 900 456"))
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_erasure_leaves_nothing_that_identifies_the_resident(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    admin = UserFactory(role=Role.ADMIN)
    request = services.submit_request(
        answers=answers(postcode_or_town="Rose Cottage, Mill Lane, Cerne Abbas")
    )
    assert request.area == "Cerne Abbas"
    first = EventFactory(audience="public", title="Tablet club")
    second = EventFactory(audience="public", title="Phone club")
    for event in (first, second):
        request.refresh_from_db()
        services.book_session_place(
            request=request, by=coordinator, expected_version=request.version, event=event
        )
    request.refresh_from_db()
    services.route(
        request=request,
        by=coordinator,
        expected_version=request.version,
        kind="signpost",
        detail="Margaret Jones, 07700900123, to Citizens Advice",
    )
    services.add_note(request=request, by=coordinator, text="Margaret's daughter helps her")
    services.erase_resident(by=admin, email="margaret@example.org")
    request.refresh_from_db()
    assert request.anonymised_at is not None and request.name == "" and request.phone == ""
    # Nobody can help someone whose details are gone: it leaves the queue.
    assert request.status == Status.CLOSED and request.outcome == "withdrawn"
    assert request.area == "Cerne Abbas"  # the town, kept for statistics
    held = " ".join(request.timeline.values_list("detail", flat=True))
    assert "Margaret" not in held and "07700" not in held
    for booking in Booking.objects.all():
        assert booking.email == "" and "Margaret" not in booking.name
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("typed", "area"),
    [
        ("dt1 1aa", "DT1"),
        ("DT11", "DT11"),
        ("weymouth", "Weymouth"),
        ("Rose Cottage, Mill Lane, Cerne Abbas", "Cerne Abbas"),
        ("12 High Street, Bridport", "Bridport"),
        ("Flat 3, 12 High Street", ""),
        ("The Old Rectory Long Lane Little Puddle", ""),
        ("", ""),
    ],
)
def test_the_area_kept_for_statistics_is_never_a_street_or_house(typed: str, area: str) -> None:
    assert intake.area_from(typed) == area


@pytest.mark.django_db
def test_phone_numbers_are_stored_one_way_so_lookups_find_them(library) -> None:
    admin = UserFactory(role=Role.ADMIN)
    request = services.submit_request(answers=answers(email="", phone="+44 7700 900 123"))
    assert request.phone == "07700900123"
    export = services.subject_access_export(by=admin, phone="07700 900123")
    assert [r["reference"] for r in export["requests"]] == [request.reference]
    with pytest.raises(Invalid, match="correct format"):
        services.submit_request(answers=answers(email="not-an-email"))
    with pytest.raises(Invalid, match="Enter a phone number"):
        services.submit_request(answers=answers(email="", phone="123"))


@pytest.mark.django_db
def test_withdrawing_is_audited_and_wins_over_a_coordinators_change(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    request = services.submit_request(answers=answers())
    stale_copy = HelpRequest.objects.get(pk=request.pk)
    services.triage(
        request=request,
        by=coordinator,
        expected_version=request.version,
        priority=3,
        needs=["email"],
    )
    withdrawn = services.withdraw(request=stale_copy)
    assert withdrawn.status == Status.CLOSED and withdrawn.outcome == "withdrawn"
    assert AuditEntry.objects.filter(
        subject_reference=request.reference, detail="withdrawn by the resident"
    ).exists()
    assert services.withdraw(request=withdrawn).outcome == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_reminders_reach_the_parent_organisations_coordinators(library) -> None:
    branch = OrganisationFactory(name="Bridport Library", parent=library)
    coordinator = UserFactory(role=Role.COORDINATOR, email="county@example.org")
    grant_role(coordinator, Role.COORDINATOR, library)
    HelpRequestFactory(organisation=branch, created_at=timezone.now() - timedelta(days=5))
    lonely = OrganisationFactory(name="Lonely Group")
    HelpRequestFactory(organisation=lonely, created_at=timezone.now() - timedelta(days=5))
    mail.outbox.clear()
    assert services.remind_about_waiting_requests() == 1
    assert mail.outbox[0].to == ["county@example.org"]
    # Nobody to tell at the lonely group yet: tried again once someone joins.
    late = UserFactory(role=Role.COORDINATOR, email="late@example.org")
    grant_role(late, Role.COORDINATOR, lonely)
    assert services.remind_about_waiting_requests() == 1
    assert mail.outbox[-1].to == ["late@example.org"]


@pytest.mark.django_db
def test_a_resident_can_be_booked_again_after_a_cancellation(library) -> None:
    from fingerpost.events import services as events_services

    coordinator = UserFactory(role=Role.COORDINATOR)
    club = EventFactory(audience="public")
    request = services.submit_request(answers=answers(email="", phone="07700900123"))
    first = services.book_session_place(
        request=request, by=coordinator, expected_version=request.version, event=club
    )
    request.refresh_from_db()
    # Phone only: asking again while the place is held finds the same booking.
    assert (
        services.book_session_place(
            request=request, by=coordinator, expected_version=request.version, event=club
        )
        == first
    )
    events_services.cancel_booking(booking=first)
    request.refresh_from_db()
    second = services.book_session_place(
        request=request, by=coordinator, expected_version=request.version, event=club
    )
    assert second != first and second.status == BookingStatus.CONFIRMED
    assert Booking.objects.filter(event=club, status="confirmed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_coordinators_are_asked_to_call_when_a_place_frees_for_a_phone_only_resident(
    library,
) -> None:
    from fingerpost.events import services as events_services

    coordinator = UserFactory(role=Role.COORDINATOR, email="coord@example.org")
    grant_role(coordinator, Role.COORDINATOR, library)
    club = EventFactory(audience="public", capacity=1, title="Tablet club")
    holder = events_services.book_places(
        event_id=club.pk, name="First Person", email="first@example.org"
    ).booking
    request = services.submit_request(answers=answers(email="", phone="07700900123"))
    waiting = services.book_session_place(
        request=request, by=coordinator, expected_version=request.version, event=club
    )
    assert waiting.status == BookingStatus.WAITING
    mail.outbox.clear()
    events_services.cancel_booking(booking=holder)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    calls = [m for m in mail.outbox if m.subject.startswith("Call a resident")]
    assert len(calls) == 1 and calls[0].to == ["coord@example.org"]
    assert waiting.get_manage_url() in calls[0].body and "07700" not in calls[0].body
    entry = request.timeline.filter(kind=TimelineKind.BOOKED).last()
    assert "is free for the resident" in entry.detail
    # A resident with email hears directly; the help desk is not asked to call.
    assert not services.tell_coordinators_of_an_offer(booking=holder)


@pytest.mark.django_db
def test_a_note_keeps_no_invisible_characters() -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    request = HelpRequestFactory()
    # A right-to-left override would make the entry read backwards on screen.
    services.add_note(request=request, by=coordinator, text="\u202eCalled \u200bher\u202e\nTwice")
    note = request.timeline.get(kind="note")
    assert note.detail == "Called her\nTwice"
    with pytest.raises(Invalid, match="Enter a note"):
        services.add_note(request=request, by=coordinator, text="\u202e\u200b ")


def test_when_the_resident_is_free_is_exported_and_erased(library) -> None:
    admin = UserFactory(role=Role.ADMIN)
    request = HelpRequestFactory(
        organisation=library, email="kit@example.org", free_days=["mon"], free_parts=["evening"]
    )
    export = services.subject_access_export(by=admin, email="kit@example.org")
    assert export["requests"][0]["details"]["Usually free"] == "Monday: evenings"
    services.erase_resident(by=admin, email="kit@example.org")
    request.refresh_from_db()
    assert (request.free_days, request.free_parts) == ([], [])


@pytest.mark.django_db
def test_made_up_free_times_are_refused_by_the_service(library) -> None:
    with pytest.raises(Invalid):
        services.submit_request(
            answers=services.IntakeAnswers(
                needs=["email"], name="Pat", phone="01305 123456", free_parts=["midnight"]
            ),
            organisation=library,
        )
    assert not HelpRequest.objects.exists()
