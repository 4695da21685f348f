"""The rules: who can be assigned, answers, sessions and hours, reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.champions import matching, queries, reminders, services
from fingerpost.champions.models import Assignment, AssignmentState, HelpSession, Interest
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.core.models import OutboxMessage
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import HelpRequest, Status, TimelineEntry

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory
from .factories import area, ready_champion

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return OrganisationFactory(kind="library", name="Weymouth Library")


@pytest.fixture
def coordinator(library):
    return UserFactory(role=Role.COORDINATOR, role__organisation=library)


def _assign(help_request, champion, coordinator):
    help_request.refresh_from_db()
    return services.assign(
        help_request=help_request,
        champion=champion,
        by=coordinator,
        expected_version=help_request.version,
    )


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"check_expires_on": timezone.localdate() - timedelta(days=1)}, "check expired"),
        ({"check_expires_on": None}, "no background check"),
        ({"paused": True}, "has paused"),
    ],
)
def test_an_expired_check_or_a_pause_blocks_assignment(library, coordinator, profile, message):
    champion = ready_champion(**profile)
    help_request = HelpRequestFactory(organisation=library)
    with pytest.raises(Invalid, match=message):
        _assign(help_request, champion, coordinator)
    help_request.refresh_from_db()
    assert help_request.assigned_to is None and not Assignment.objects.exists()


def test_a_champion_without_a_profile_cannot_be_assigned(library, coordinator):
    with pytest.raises(Invalid, match="no profile"):
        _assign(
            HelpRequestFactory(organisation=library), UserFactory(role=Role.CHAMPION), coordinator
        )


def test_a_full_champion_cannot_take_another(library, coordinator):
    champion = ready_champion(max_active=2)
    for _ in range(2):
        _assign(HelpRequestFactory(organisation=library), champion, coordinator)
    third = HelpRequestFactory(organisation=library)
    with pytest.raises(Conflict, match="already has 2 of 2"):
        _assign(third, champion, coordinator)
    # A closed request frees a place.
    HelpRequest.objects.filter(assigned_to=champion).first()
    done = HelpRequest.objects.filter(assigned_to=champion).first()
    HelpRequest.objects.filter(pk=done.pk).update(status=Status.CLOSED, outcome="helped")
    _assign(third, champion, coordinator)


def test_the_offer_is_emailed_and_accepting_shows_on_the_timeline(library, coordinator):
    champion = ready_champion()
    help_request = HelpRequestFactory(organisation=library)
    _assign(help_request, champion, coordinator)
    emails = OutboxMessage.objects.filter(about_reference=help_request.reference)
    assert [m.subject for m in emails] == [f"Can you help? Request {help_request.reference}"]
    assert help_request.name not in emails[0].body and help_request.phone not in emails[0].body
    assignment = queries.assignment_for(champion, help_request.reference)
    with pytest.raises(NotAllowed):
        services.accept(assignment=assignment, by=ready_champion())
    services.accept(assignment=assignment, by=champion)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    assert TimelineEntry.objects.filter(
        request=help_request, detail__startswith="Accepted by"
    ).exists()
    with pytest.raises(Conflict, match="already answered"):
        services.accept(assignment=assignment, by=champion)


def test_a_decline_sends_the_request_back_with_the_reason_and_the_next_suggestion_excludes_them(
    library, coordinator
):
    first, second = ready_champion(), ready_champion()
    help_request = HelpRequestFactory(organisation=library)
    _assign(help_request, first, coordinator)
    assignment = queries.assignment_for(first, help_request.reference)
    with pytest.raises(Invalid, match="Say why"):
        services.decline(assignment=assignment, by=first, reason="  ")
    services.decline(assignment=assignment, by=first, reason="Away until March")
    help_request.refresh_from_db()
    assert help_request.assigned_to is None and help_request.status == Status.TRIAGED
    entry = TimelineEntry.objects.filter(request=help_request).last()
    assert "Away until March" in entry.detail and "Back in the queue" in entry.detail
    told = OutboxMessage.objects.get(kind="champions.declined")
    assert told.to == [coordinator.email]
    ranking = matching.rank(
        queries.wanted_for(help_request), queries.candidates(), today=timezone.localdate()
    )
    assert first.pk not in [s.candidate.champion_id for s in ranking.suggestions]
    assert next(e.reasons for e in ranking.excluded if e.candidate.champion_id == first.pk) == [
        "declined this request"
    ]
    assert second.pk in [s.candidate.champion_id for s in ranking.suggestions]
    # The champion no longer sees it.
    assert queries.assignment_for(first, help_request.reference) is None


def test_sessions_count_hours_go_on_the_timeline_and_closing_ends_the_assignment(
    library, coordinator
):
    champion = ready_champion()
    help_request = HelpRequestFactory(organisation=library)
    _assign(help_request, champion, coordinator)
    assignment = queries.assignment_for(champion, help_request.reference)
    session = dict(
        given_on=timezone.localdate(),
        minutes=90,
        mode="phone",
        skills=["communicating"],
        note="Set up video calls",
        another_wanted=True,
        confidence_before=1,
        confidence_after=3,
    )
    with pytest.raises(Conflict, match="Accept the request first"):
        services.log_session(assignment=assignment, by=champion, **session)
    services.accept(assignment=assignment, by=champion)
    with pytest.raises(Invalid, match="from 5 to 600"):
        services.log_session(assignment=assignment, by=champion, **{**session, "minutes": 601})
    with pytest.raises(Invalid, match="today or in the past"):
        services.log_session(
            assignment=assignment,
            by=champion,
            **{**session, "given_on": timezone.localdate() + timedelta(days=1)},
        )
    services.log_session(assignment=assignment, by=champion, **session)
    services.log_session(assignment=assignment, by=champion, **{**session, "minutes": 30})
    help_request.refresh_from_db()
    assert help_request.status == Status.IN_PROGRESS and help_request.first_contact_at
    assert TimelineEntry.objects.filter(
        request=help_request, detail__contains="90 minutes"
    ).exists()
    assert queries.minutes_of(champion) == 120
    assert queries.hours_by_champion()[0]["minutes"] == 120
    assert queries.hours_by_organisation()[0]["minutes"] == 120
    assert queries.milestones_reached(queries.minutes_of(champion)) == []
    services.close_request(
        assignment=assignment, by=champion, outcome="helped", detail="Calls her grandson"
    )
    help_request.refresh_from_db()
    assert help_request.status == Status.CLOSED
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.ENDED
    # Hours stay when the resident's details go.
    helpdesk.anonymise(request=help_request, by=coordinator)
    assert HelpSession.objects.filter(champion=champion).count() == 2
    assert queries.minutes_of(champion) == 120


def test_hours_totals_by_month_and_milestones(library):
    champion = ready_champion()
    today = timezone.localdate()
    for minutes in (600, 60):
        HelpSession.objects.create(
            champion=champion,
            organisation=library,
            given_on=today,
            minutes=minutes,
            mode="in_person",
            confidence_before=1,
            confidence_after=2,
        )
    assert queries.minutes_of(champion) == 660
    assert queries.milestones_reached(660) == [10]
    month = queries.hours_by_month(champion=champion)[0]
    assert month["minutes"] == 660 and month["sessions"] == 2
    rows = queries.hours_rows()
    assert rows[0][-1] == 11.0 and rows[0][-2] == 2


def test_check_warnings_go_once_per_threshold(library, coordinator):
    today = timezone.localdate()
    champion = ready_champion(organisation=library, check_expires_on=today + timedelta(days=29))
    OutboxMessage.objects.all().delete()
    assert reminders.remind_about_expiring_checks() == 1
    assert reminders.remind_about_expiring_checks() == 0
    sent = OutboxMessage.objects.filter(kind="champions.check_expiring")
    assert sorted(m.to[0] for m in sent) == sorted([champion.email, coordinator.email])
    # Eight days later the 7-day warning goes, once.
    later = timezone.now() + timedelta(days=23)
    assert reminders.remind_about_expiring_checks(now=later) == 1
    assert reminders.remind_about_expiring_checks(now=later) == 0
    assert sent.all().count() == 4


def test_an_assignment_with_no_session_is_flagged_and_reminded_once(library, coordinator):
    champion = ready_champion()
    help_request = HelpRequestFactory(organisation=library)
    _assign(help_request, champion, coordinator)
    later = timezone.now() + timedelta(days=8)
    assert reminders.remind_about_quiet_assignments() == 0
    assert list(queries.quiet_assignments(now=later).values_list("help_request", flat=True)) == [
        help_request.pk
    ]
    assert reminders.remind_about_quiet_assignments(now=later) == 1
    assert reminders.remind_about_quiet_assignments(now=later) == 0
    assert OutboxMessage.objects.filter(kind="champions.quiet").count() == 1


def test_the_bulk_proposal_keeps_limits_and_confirming_assigns_what_is_still_possible(
    library, coordinator
):
    weymouth = area("Weymouth", "DT4")
    a = ready_champion(max_active=1, areas=[weymouth])
    b = ready_champion(max_active=2, areas=[weymouth])
    waiting = [
        HelpRequestFactory(organisation=library, area="DT4", status="triaged") for _ in range(5)
    ]
    wanted, versions = queries.wanted_waiting(coordinator)
    assert {w.reference for w in wanted} == {r.reference for r in waiting}
    assert all(w.area_name == "Weymouth" for w in wanted)
    proposals = matching.propose(wanted, queries.candidates(), today=timezone.localdate())
    assert len(proposals) == 3
    assert sorted(p.candidate.champion_id for p in proposals) == sorted([a.pk, b.pk, b.pk])
    # Someone fills champion A meanwhile: that one is refused, the others done.
    _assign(HelpRequestFactory(organisation=library), a, coordinator)
    result = services.confirm_proposals(
        by=coordinator,
        choices=[
            (p.wanted.reference, p.candidate.champion_id, versions[p.wanted.reference])
            for p in proposals
        ],
    )
    assert len(result.assigned) == 2 and len(result.refused) == 1
    assert "already has 1 of 1" in result.refused[0][1]


def test_offering_to_volunteer_and_being_invited(library, coordinator):
    weymouth = area("Weymouth", "DT4")
    answers = services.InterestAnswers(
        name="Vera Lane",
        email="Vera@Example.org",
        phone="",
        postcode_or_town="DT4 7AB",
        skills=["communicating"],
        languages="Polish",
        ways=["phone"],
        availability=["tue_evening"],
    )
    with pytest.raises(Invalid):
        services.express_interest(
            answers=services.InterestAnswers(**{**answers.__dict__, "skills": ["x"]})
        )
    interest = services.express_interest(answers=answers)
    assert interest.email == "vera@example.org" and interest.area == weymouth
    profile = services.invite(interest=interest, by=coordinator, organisation=library)
    assert profile.user.email == "vera@example.org" and list(profile.areas.all()) == [weymouth]
    assert Interest.objects.get(pk=interest.pk).status == "invited"
    with pytest.raises(Conflict):
        services.invite(interest=interest, by=coordinator, organisation=library)
    # Invited but unchecked: cannot be assigned yet.
    with pytest.raises(Invalid, match="no background check"):
        _assign(HelpRequestFactory(organisation=library), profile.user, coordinator)
    services.add_check(
        profile=profile,
        by=coordinator,
        kind="dbs_basic",
        checked_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=1000),
    )
    _assign(HelpRequestFactory(organisation=library), profile.user, coordinator)


def test_offers_to_volunteer_are_found_exported_and_erased(coordinator):
    from fingerpost.champions.personal_data import VolunteerOffers

    Interest.objects.create(
        name="Vera Lane", email="vera@example.org", phone="07700 900555", postcode_or_town="DT4"
    )
    source = VolunteerOffers()
    found = source.find(email="VERA@example.org", phone="")
    assert [r.title for r in found] == ["Vera Lane"] and found[0].matched_on == "email"
    assert source.find(email="", phone="07700900555")[0].matched_on == "phone"
    exported = source.export(keys=[found[0].key], by=coordinator)
    assert exported[0]["email"] == "vera@example.org"
    assert source.erase(keys=[found[0].key], by=coordinator) == 1
    assert not Interest.objects.exists()


def test_matching_reads_the_bit_fields_the_profile_edit_keeps_in_step():
    """Matching reads skills, ways and free days as integers on the profile,
    never the lists: a profile edit keeps them in step, and a list changed
    behind the service's back is not what matching sees."""
    from fingerpost.champions.models import ChampionProfile

    user = ready_champion(skills=["devices"], ways=["home"], availability=["tue_evening"])
    profile = ChampionProfile.objects.get(user=user)
    assert (profile.skill_bits, profile.way_bits, profile.day_bits) == (
        matching.skill_mask(["devices"]),
        matching.way_mask(["home"]),
        matching.day_mask(["tue"]),
    )
    services.update_profile(
        profile=profile,
        by=user,
        skills=["being_safe", "video_calls"],
        languages="Polish",
        areas=[],
        ways=["phone", "video"],
        availability=["sat_morning", "sun_afternoon"],
        max_active=2,
    )
    (candidate,) = queries.candidates(champion_ids=[user.pk])
    assert candidate.skills == matching.skill_mask(["being_safe", "video_calls"])
    assert candidate.ways == matching.way_mask(["phone", "video"])
    assert candidate.days == matching.day_mask(["sat", "sun"])
    ChampionProfile.objects.filter(pk=profile.pk).update(skills=["devices"])
    (candidate,) = queries.candidates(champion_ids=[user.pk])
    assert candidate.skills == matching.skill_mask(["being_safe", "video_calls"])


def test_the_times_the_resident_gave_rank_champions_on_the_page_and_in_the_proposal(
    library, coordinator
):
    weymouth = area("Weymouth", "DT4")
    mornings = ready_champion(availability=["tue_morning"], areas=[weymouth], max_active=1)
    evenings = ready_champion(availability=["tue_evening"], areas=[weymouth], max_active=1)
    help_request = HelpRequestFactory(
        organisation=library,
        area="DT4",
        status="triaged",
        free_days=["tue"],
        free_parts=["evening"],
    )
    ranking = matching.rank(
        queries.wanted_for(help_request), queries.candidates(), today=timezone.localdate()
    )
    first, second = ranking.suggestions
    assert first.candidate.champion_id == evenings.pk
    assert "Free on Tuesday evenings, when the resident is free" in first.reasons
    assert "Not free at the times the resident gave" in second.reasons
    wanted, _ = queries.wanted_waiting(coordinator)
    (proposal,) = [
        p
        for p in matching.propose(wanted, queries.candidates(), today=timezone.localdate())
        if p.wanted.reference == help_request.reference
    ]
    assert proposal.candidate.champion_id == evenings.pk
    # A request with no times given: no reason about them for anyone.
    silent = HelpRequestFactory(organisation=library, area="DT4", status="triaged")
    for s in matching.rank(
        queries.wanted_for(silent), queries.candidates(), today=timezone.localdate()
    ).suggestions:
        assert not any("resident" in r for r in s.reasons)
    assert mornings.pk in {
        s.candidate.champion_id
        for s in matching.rank(
            queries.wanted_for(silent), queries.candidates(), today=timezone.localdate()
        ).suggestions
    }


def test_the_areas_matching_reads_follow_every_change_to_the_links(library):
    weymouth, dorchester = area("Weymouth", "DT4"), area("Dorchester", "DT1")
    champion = ready_champion(areas=[weymouth])

    def read():
        (candidate,) = queries.candidates(champion_ids=[champion.pk])
        return candidate.areas

    profile = champion.champion_profile
    assert read() == {weymouth.pk}
    profile.areas.add(dorchester)
    assert read() == {weymouth.pk, dorchester.pk}
    profile.areas.remove(weymouth)
    assert read() == {dorchester.pk}
    weymouth.champions.add(profile)
    assert read() == {weymouth.pk, dorchester.pk}
    dorchester.champions.clear()
    assert read() == {weymouth.pk}
    profile.areas.clear()
    assert read() == frozenset()
