import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.models import AuditEntry
from fingerpost.events.models import Booking
from fingerpost.helpdesk.models import HelpRequest

from ..champions.factories import ready_champion
from ..conftest import ALL_ROLES
from ..factories import (
    EventFactory,
    HelpRequestFactory,
    OrganisationFactory,
    UserFactory,
    grant_role,
)
from ..querycount import assert_flat_query_count


@pytest.fixture
def library(db):
    return OrganisationFactory(name="County Libraries", kind="library")


@pytest.fixture
def branch(library):
    return OrganisationFactory(name="Harbour Library", kind="library", parent=library)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def coordinator_of(organisation):
    user = UserFactory(role=Role.COORDINATOR)
    grant_role(user, Role.COORDINATOR, organisation)
    return user


STAFF_ONLY = ["helpdesk:queue", "helpdesk:record", "helpdesk:report"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_coordinator_pages_by_role(client_for, role: str, name: str) -> None:
    response = client_for(role).get(reverse(name))
    assert response.status_code == (200 if role in {Role.COORDINATOR, Role.ADMIN} else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        *STAFF_ONLY,
        "helpdesk:mine",
        "helpdesk:refer",
        "helpdesk:my_referrals",
        "helpdesk:data_protection",
    ],
)
def test_anonymous_people_are_sent_to_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_admins_reach_data_protection(client_for, role: str) -> None:
    response = client_for(role).get(reverse("helpdesk:data_protection"))
    assert response.status_code == (302 if role == Role.ADMIN else 403)
    response = client_for(role).get(reverse("core:data_protection"))
    assert response.status_code == (200 if role == Role.ADMIN else 403)


@pytest.mark.django_db
def test_who_can_see_a_request(library, branch) -> None:
    other_service = OrganisationFactory(name="Other Libraries", kind="library")
    request = HelpRequestFactory(organisation=branch, name="Edith Resident")
    url = request.get_absolute_url()
    champion = UserFactory(role=Role.CHAMPION)
    assigned = UserFactory(role=Role.CHAMPION)
    HelpRequest.objects.filter(pk=request.pk).update(
        assigned_to=assigned, assignment_accepted_at=timezone.now()
    )
    # Offered a request and not yet accepted: not theirs to open yet.
    offered = UserFactory(role=Role.CHAMPION)
    waiting = HelpRequestFactory(organisation=branch, name="Edith Resident")
    HelpRequest.objects.filter(pk=waiting.pk).update(assigned_to=offered)
    assert signed_in(offered).get(waiting.get_absolute_url()).status_code == 404
    allowed = [
        coordinator_of(library),
        coordinator_of(branch),
        assigned,
        UserFactory(role=Role.ADMIN),
    ]
    refused = [
        coordinator_of(other_service),
        champion,
        UserFactory(role=Role.MEMBER),
        UserFactory(role=Role.ORGANISER),
    ]
    HelpRequest.objects.filter(pk=request.pk).update(help_modes=["community_venue", "phone"])
    for user in allowed:
        response = signed_in(user).get(url)
        assert response.status_code == 200, user.email
        assert b"Edith Resident" in response.content
        assert b"At a community venue, By phone" in response.content
    for user in refused:
        response = signed_in(user).get(url)
        assert response.status_code == 404, user.email
        assert b"Edith Resident" not in response.content
    assert Client().get(url).status_code == 302
    # A guessed reference finds nothing either.
    assert signed_in(allowed[0]).get("/help-requests/HXXXXXXX/").status_code == 404


@pytest.mark.django_db
def test_every_view_is_audited(library) -> None:
    coordinator = coordinator_of(library)
    request = HelpRequestFactory(organisation=library)
    signed_in(coordinator).get(request.get_absolute_url())
    entry = AuditEntry.objects.get(action="view")
    assert entry.actor == coordinator and entry.subject_reference == request.reference


@pytest.mark.django_db
def test_champions_do_not_see_restricted_notes_or_referral_details(library) -> None:
    champion = UserFactory(role=Role.CHAMPION)
    coordinator = coordinator_of(library)
    request = HelpRequestFactory(organisation=library, assigned_to=champion)
    from fingerpost.helpdesk import services

    services.flag_safeguarding(
        request=request,
        by=coordinator,
        expected_version=request.version,
        detail="Worried about financial abuse",
    )
    as_champion = signed_in(champion).get(request.get_absolute_url()).content.decode()
    assert "financial abuse" not in as_champion
    assert "Consent to share" not in as_champion
    # The confirmation text holds the resident's private link: coordinators only.
    assert request.token not in as_champion
    as_coordinator = signed_in(coordinator).get(request.get_absolute_url()).content.decode()
    assert "Confirmation text for the resident" in as_coordinator
    assert f"/get-help/status/{request.token}/" in as_coordinator
    assert (
        "financial abuse" in signed_in(coordinator).get(request.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["triage", "assign", "route", "book", "safeguarding"])
def test_champion_cannot_do_a_coordinators_work(library, action: str) -> None:
    champion = UserFactory(role=Role.CHAMPION)
    request = HelpRequestFactory(organisation=library, assigned_to=champion)
    club = EventFactory(audience="public")
    response = signed_in(champion).post(
        reverse("helpdesk:act", args=[request.reference, action]),
        {
            "version": request.version,
            "priority": 4,
            "needs": ["email"],
            "champion": champion.pk,
            "kind": "signpost",
            "detail": "Somewhere",
            "event": club.pk,
        },
    )
    assert response.status_code == 403
    before = request.version
    request.refresh_from_db()
    assert request.priority == 2 and request.version == before
    assert not Booking.objects.exists() and request.timeline.count() == 0


@pytest.mark.django_db
def test_a_stale_form_is_refused_with_a_clear_message(library) -> None:
    coordinator = coordinator_of(library)
    request = HelpRequestFactory(organisation=library)
    client = signed_in(coordinator)
    url = reverse("helpdesk:act", args=[request.reference, "triage"])
    first = client.post(url, {"version": request.version, "priority": 4, "needs": ["email"]})
    assert first.status_code == 302
    second = client.post(url, {"version": request.version, "priority": 1, "needs": ["other"]})
    assert second.status_code == 409
    assert b"Someone else changed this request" in second.content
    request.refresh_from_db()
    assert request.priority == 4


@pytest.mark.django_db
def test_take_a_request_from_new_to_closed_in_the_browser_forms(library) -> None:
    coordinator = coordinator_of(library)
    champion = ready_champion(UserFactory(role=Role.CHAMPION, full_name="Chloe Champion"))
    client = signed_in(coordinator)
    response = client.post(
        reverse("helpdesk:record"),
        {
            "channel": "phone",
            "referral_source": "health",
            "name": "Bob Resident",
            "phone": "01305 123456",
            "email": "",
            "postcode_or_town": "Weymouth",
            "needs": ["online_forms"],
            "what_they_want": "Renew a blue badge",
            "has_device": "no",
            "has_internet": "no",
            "help_modes": ["library"],
            "free_days": ["fri", "mon"],
            "free_parts": ["morning"],
            "languages": "",
            "access_needs": "",
            "consent_to_share": "yes",
            "step": "confirm",
        },
    )
    request = HelpRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert request.channel == "phone" and request.recorded_by == coordinator
    assert (request.free_days, request.free_parts) == (["mon", "fri"], ["morning"])
    assert re.search(
        r"Usually free</dt>\s*<dd[^>]*>Monday and Friday: mornings</dd>",
        client.get(request.get_absolute_url()).content.decode(),
    )

    def act(action, **data):
        request.refresh_from_db()
        return client.post(
            reverse("helpdesk:act", args=[request.reference, action]),
            {"version": request.version, **data},
        )

    assert act("triage", priority=3, needs=["online_forms"]).status_code == 302
    assert act("assign", champion=champion.pk).status_code == 302
    assert act("route", kind="device_loan", detail="Tablet with data SIM").status_code == 302
    staff_only = EventFactory(title="Partners' networking", audience="staff")
    club = EventFactory(title="Tablet drop-in", kind="drop_in", audience="public")
    form = client.get(request.get_absolute_url()).content.decode()
    assert "Tablet drop-in" in form and "Partners&#x27; networking" not in form
    assert act("book", event=staff_only.pk).status_code == 400
    assert act("book", event=club.pk).status_code == 302
    booking = Booking.objects.get(event=club)
    assert booking.name == "Bob Resident" and booking.status == "confirmed"
    status_page = client.get(reverse("helpdesk_public:status", args=[request.token]))
    assert "We have booked you a place" in status_page.content.decode()
    assert act("contact", reached="yes", note="Booked in for Tuesday").status_code == 302
    assert act("note", text="Brought reading glasses").status_code == 302
    bad = act("close", outcome="helped", detail="")
    assert bad.status_code == 400 and b"Say what the resident can now do" in bad.content
    assert (
        act("close", outcome="helped", detail="Applied for a blue badge online").status_code == 302
    )
    request.refresh_from_db()
    assert request.status == "closed"
    page = client.get(request.get_absolute_url()).content.decode()
    for words in [
        "Request made",
        "Priority set",
        "Assigned",
        "Routed",
        "Booked at a session",
        "Place booked at Tablet drop-in",
        "Contact attempt",
        "Note added",
        "Closed",
        "Applied for a blue badge online",
    ]:
        assert words in page


@pytest.mark.django_db
def test_members_refer_and_see_only_the_status(library) -> None:
    member = UserFactory(role=Role.MEMBER)
    client = signed_in(member)
    data = {
        "referral_source": "health",
        "name": "Carol Resident",
        "phone": "07700 900123",
        "postcode_or_town": "Bridport",
        "needs": ["video_calls"],
        "has_device": "yes",
        "has_internet": "yes",
        "help_modes": ["home"],
        "consent_to_share": "no",
    }
    refused = client.post(reverse("helpdesk:refer"), data)
    assert b"You can only refer a resident who has agreed" in refused.content
    assert not HelpRequest.objects.exists()
    # The check-answers page reads back when they are free.
    check = client.post(
        reverse("helpdesk:refer"), {**data, "consent_to_share": "yes", "free_days": ["wed"]}
    ).content.decode()
    assert "Which days are they usually free?" in check and "Wednesday" in check
    client.post(
        reverse("helpdesk:refer"),
        {**data, "consent_to_share": "yes", "free_days": ["wed"], "step": "confirm"},
    )
    request = HelpRequest.objects.get()
    assert (request.free_days, request.free_parts) == (["wed"], [])
    page = client.get(reverse("helpdesk:my_referrals")).content.decode()
    assert request.reference in page and "Carol Resident" not in page
    assert client.get(request.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_queue_and_request_pages_make_the_same_queries_with_more_data(library) -> None:
    coordinator = coordinator_of(library)
    client = signed_in(coordinator)
    HelpRequestFactory.create_batch(5, organisation=library)
    assert_flat_query_count(
        client,
        reverse("helpdesk:queue"),
        lambda: HelpRequestFactory.create_batch(60, organisation=library),
    )
    assert_flat_query_count(
        client,
        reverse("helpdesk:queue") + "?need=email&priority=2",
        lambda: HelpRequestFactory.create_batch(20, organisation=library),
    )
    request = HelpRequestFactory(organisation=library)

    def more_timeline():
        from fingerpost.helpdesk import services

        for n in range(10):
            services.add_note(request=request, by=coordinator, text=f"Note {n}")

    assert_flat_query_count(client, request.get_absolute_url(), more_timeline)
    assert_flat_query_count(
        client,
        reverse("helpdesk:report"),
        lambda: HelpRequestFactory.create_batch(30, organisation=library),
    )


@pytest.mark.django_db
def test_queue_filters(library) -> None:
    coordinator = coordinator_of(library)
    HelpRequestFactory(organisation=library, reference="HAAAAAAA", with_needs=["email"])
    HelpRequestFactory(
        organisation=library,
        reference="HBBBBBBB",
        with_needs=["finding_work"],
        area="BH1",
        help_modes=["home"],
    )
    client = signed_in(coordinator)
    page = client.get(reverse("helpdesk:queue"), {"need": "finding_work"}).content.decode()
    assert "HBBBBBBB" in page and "HAAAAAAA" not in page
    page = client.get(reverse("helpdesk:queue"), {"help_mode": "home"}).content.decode()
    assert "HBBBBBBB" in page and "HAAAAAAA" not in page
    page = client.get(reverse("helpdesk:queue"), {"area": "bh1"}).content.decode()
    assert "HBBBBBBB" in page and "HAAAAAAA" not in page
    assert client.get(reverse("helpdesk:queue"), {"priority": "x", "page": "-1"}).status_code == 200


@pytest.mark.django_db
def test_a_queue_row_shows_each_column_worked_out_for_it(library) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from fingerpost.helpdesk import queries

    coordinator = coordinator_of(library)
    champion = UserFactory(full_name="Ada Champion")
    # 23:30 on 31 January in London is still the 31st (the date is local).
    made = datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    urgent = HelpRequestFactory(
        organisation=library,
        reference="HURGENT1",
        created_at=made,
        priority=3,
        area="Weymouth",
        safeguarding_concern=True,
        with_needs=["email", "video_calls"],
    )
    HelpRequestFactory(
        organisation=library,
        reference="HCALMED1",
        status="assigned",
        assigned_to=champion,
        first_contact_at=timezone.now(),
        area="",
        with_needs=["finding_work"],
    )
    rows = {
        row.reference: row
        for row in queries.queue_rows(queries.queue(coordinator), now=made + timedelta(days=3))
    }
    new, assigned = rows["HURGENT1"], rows["HCALMED1"]
    assert new.url == urgent.get_absolute_url() == "/help-requests/HURGENT1/"
    assert (new.status, new.status_label, new.status_tag) == ("new", "New", "govuk-tag--blue")
    assert new.priority_label == "High"
    assert new.needs == "Email and messaging; Video calls with family and friends"
    assert (new.area, new.waiting_since) == ("Weymouth", "31 Jan 2026")
    assert new.safeguarding and new.no_contact_yet  # 72 hours and nobody has called
    assert new.assigned_to == ""
    assert (assigned.status_label, assigned.status_tag) == ("Assigned", "govuk-tag--grey")
    assert (assigned.priority_label, assigned.needs) == ("Normal", "Finding work")
    assert not assigned.safeguarding and not assigned.no_contact_yet
    assert (assigned.area, assigned.assigned_to) == ("", "Ada Champion")
    # The page prints them as worked out.
    page = signed_in(coordinator).get(reverse("helpdesk:queue")).content.decode()
    assert '<a class="govuk-link" href="/help-requests/HURGENT1/">HURGENT1</a>' in page
    assert "Video calls with family and friends" in page and "Ada Champion" in page


@pytest.mark.django_db
def test_report_counts_and_csv(library) -> None:
    from django.utils import timezone

    coordinator = coordinator_of(library)
    HelpRequestFactory(
        organisation=library, with_needs=["email", "video_calls"], first_contact_at=timezone.now()
    )
    HelpRequestFactory(organisation=library, with_needs=["email"])
    client = signed_in(coordinator)
    page = client.get(reverse("helpdesk:report"))
    figures = page.context["figures"]
    assert figures["total"] == 2 and figures["contacted"] == 1
    assert dict(figures["by_need"])["Email and messaging"] == 2
    csv = client.get(reverse("helpdesk:report"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "need,Email and messaging,2" in csv
    xlsx = client.get(reverse("helpdesk:report"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(reverse("helpdesk:report"), {"start": "31/02/2026", "end": "x"})
    assert bad.status_code == 200 and b"Enter a real date" in bad.content
    far = client.get(reverse("helpdesk:report"), {"start": "1/1/1", "end": "31/12/9999"})
    assert far.status_code == 200 and b"Enter a date between 2000 and 2099" in far.content
    assert (
        client.get(reverse("helpdesk:report"), {"end": "1/1/9999", "format": "csv"}).status_code
        == 200
    )


@pytest.mark.django_db
def test_report_download_makes_resident_typed_text_harmless(library) -> None:
    from fingerpost.organisations.models import Area

    # Reports group by the partnership's towns; a name typed there is made harmless too.
    town = Area.objects.create(name='=HYPERLINK("http://x")', slug="x")
    HelpRequestFactory(organisation=library, area='=HYPERLINK("http://x")', town=town)
    client = signed_in(coordinator_of(library))
    csv = client.get(reverse("helpdesk:report"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv


@pytest.mark.django_db
def test_time_to_first_contact_median_and_90th_percentile(library) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from fingerpost.helpdesk import reports
    from fingerpost.helpdesk.models import HelpRequest as Model

    asked = timezone.now() - timedelta(days=2)
    for hours in range(1, 11):
        HelpRequestFactory(
            organisation=library, created_at=asked, first_contact_at=asked + timedelta(hours=hours)
        )
    HelpRequestFactory(organisation=library, created_at=asked)  # not contacted yet
    today = timezone.localdate()
    figures = reports.figures(Model.objects.all(), start=today - timedelta(days=7), end=today)
    assert figures["total"] == 11 and figures["contacted"] == 10
    assert figures["first_contact_median"] == timedelta(hours=5.5)
    assert figures["first_contact_p90"] == timedelta(hours=9.1)
    assert reports.hours(figures["first_contact_p90"]) == "9.1"


@pytest.mark.django_db
def test_queue_shows_new_first_then_most_urgent_then_oldest(library) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()

    def make(reference, status, priority, days_ago):
        extra = {"outcome": "helped"} if status == "closed" else {}
        return HelpRequestFactory(
            organisation=library,
            reference=reference,
            status=status,
            priority=priority,
            created_at=now - timedelta(days=days_ago),
            **extra,
        )

    make("HTRIAGE1", "triaged", 2, 9)
    make("HNEWLOW1", "new", 1, 1)
    make("HURGENT1", "assigned", 4, 1)
    make("HNEWOLD1", "new", 1, 5)
    make("HCLOSED1", "closed", 4, 20)
    make("HTRIAGE2", "triaged", 2, 3)
    client = signed_in(coordinator_of(library))
    page = client.get(reverse("helpdesk:queue"))
    order = [r.reference for r in page.context["page"].object_list]
    assert order == ["HNEWOLD1", "HNEWLOW1", "HURGENT1", "HTRIAGE1", "HTRIAGE2"]
    closed = client.get(reverse("helpdesk:queue"), {"status": "closed"}).context["page"]
    assert [r.reference for r in closed.object_list] == ["HCLOSED1"]
    # A status change moves a request between the bands at once.
    HelpRequest.objects.filter(reference="HNEWLOW1").update(status="triaged")
    order = [r.reference for r in client.get(reverse("helpdesk:queue")).context["page"].object_list]
    assert order[0] == "HNEWOLD1" and order[-1] == "HNEWLOW1"


@pytest.mark.django_db
def test_the_safeguarding_lead_can_open_a_flagged_request(library) -> None:
    from fingerpost.helpdesk import services

    other = OrganisationFactory(name="Safeguarding Hub")
    lead = coordinator_of(other)
    library.safeguarding_lead = lead
    library.save()
    request = HelpRequestFactory(organisation=library)
    assert signed_in(lead).get(request.get_absolute_url()).status_code == 404
    services.flag_safeguarding(
        request=request,
        by=coordinator_of(library),
        expected_version=request.version,
        detail="Possible scam calls",
    )
    page = signed_in(lead).get(request.get_absolute_url())
    assert page.status_code == 200 and b"Possible scam calls" in page.content


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_is_still_an_audited_view(library) -> None:
    coordinator = coordinator_of(library)
    request = HelpRequestFactory(organisation=library, name="Ivy Resident")
    response = signed_in(coordinator).post(
        reverse("helpdesk:act", args=[request.reference, "close"]), {"version": request.version}
    )
    assert response.status_code == 400 and b"Ivy Resident" in response.content
    assert (
        AuditEntry.objects.filter(action="view", subject_reference=request.reference).count() == 1
    )


@pytest.mark.django_db
def test_a_closed_request_refuses_changes_with_a_clear_message(library) -> None:
    coordinator = coordinator_of(library)
    request = HelpRequestFactory(
        organisation=library, status="closed", outcome="withdrawn", consent_to_share=True
    )
    response = signed_in(coordinator).post(
        reverse("helpdesk:act", args=[request.reference, "assign"]),
        {"version": request.version, "champion": UserFactory(role=Role.CHAMPION).pk},
    )
    assert response.status_code == 409 and b"This request is closed" in response.content
    request.refresh_from_db()
    assert request.assigned_to is None and request.status == "closed"


@pytest.mark.django_db
def test_the_admin_site_shows_requests_read_only_and_audits_each_look(library) -> None:
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    request = HelpRequestFactory(organisation=library, name="Olive Resident")
    client = signed_in(admin)
    url = reverse("admin:helpdesk_helprequest_change", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Olive Resident" in page.content
    assert request.token.encode() not in page.content
    assert AuditEntry.objects.filter(action="view", detail="admin site").count() == 1
    client.post(url, {"name": "Changed"})
    request.refresh_from_db()
    assert request.name == "Olive Resident"
    assert client.get(reverse("admin:helpdesk_helprequest_add")).status_code == 403
    assert client.get(reverse("admin:helpdesk_helprequest_change", args=["x"])).status_code == 302


@pytest.mark.django_db
def test_the_report_is_shared_for_a_while_then_worked_out_again(library, settings) -> None:
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from fingerpost.helpdesk import queries, reports

    settings.FINGERPOST_HELPDESK_REPORT_SECONDS = 60
    cache.clear()
    coordinator = UserFactory(role="coordinator", role__organisation=library)
    seen = queries.requests_visible_to(coordinator)
    today = timezone.localdate()
    first, at = reports.kept_figures(seen, start=today, end=today)
    again, at_again = reports.kept_figures(seen, start=today, end=today)
    assert again == first and at_again == at  # one scan for everyone within the minute
    other, _ = reports.kept_figures(seen, start=today - timedelta(days=1), end=today)
    assert other is not first  # another period is its own report
    settings.FINGERPOST_HELPDESK_REPORT_SECONDS = 0
    _fresh, at_fresh = reports.kept_figures(seen, start=today, end=today)
    assert at_fresh > at
    cache.clear()
