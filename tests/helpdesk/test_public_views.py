import re

import pytest
from django.core import mail
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.events import services as event_services
from fingerpost.helpdesk import services
from fingerpost.helpdesk.models import HelpRequest
from fingerpost.helpdesk.templatetags.helpdesk_text import first_contact_promise

from ..factories import EventFactory, HelpRequestFactory, OrganisationFactory, UserFactory

ANSWERS = [
    ("needs", {"needs": ["video_calls", "email"], "what_they_want": "Call my grandson"}),
    ("device", {"has_device": "yes"}),
    ("internet", {"has_internet": "no"}),
    ("how", {"help_modes": ["library", "phone"]}),
    ("free", {"free_days": ["thu", "tue"], "free_parts": ["afternoon"]}),
    ("contact", {"name": "Margaret Jones", "phone": "", "email": "margaret@example.org"}),
    ("where", {"postcode_or_town": "DT4 8AA"}),
    ("more", {"languages": "English, Welsh", "access_needs": ""}),
    ("consent", {"consent_to_share": "yes"}),
]
STEPS = [step for step, _ in ANSWERS]
# "Email" spelt the old way, except in the need "Email and messaging" (a model choice).
OLD_SPELLING = re.compile(r"e-mail", re.IGNORECASE)


def step_url(step: str) -> str:
    return reverse("helpdesk_public:step", kwargs={"step": step})


def answer_up_to(client: Client, step: str) -> None:
    """Answer every question before `step`, so that it can be reached."""
    for earlier, good in ANSWERS[: STEPS.index(step)]:
        response = client.post(step_url(earlier), good)
        assert response.status_code == 302, (earlier, response.content.decode()[:500])


def status_url(request: HelpRequest) -> str:
    return reverse("helpdesk_public:status", args=[request.token])


@pytest.mark.django_db(transaction=True)
def test_a_resident_asks_for_help_one_question_at_a_time() -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    client = Client()
    for step, data in ANSWERS:
        response = client.post(step_url(step), data)
        assert response.status_code == 302, (step, response.content.decode()[:500])
    check = client.get(reverse("helpdesk_public:check"))
    assert b"Margaret Jones" in check.content and b"Video calls" in check.content
    done = client.post(reverse("helpdesk_public:check"), follow=True)
    request = HelpRequest.objects.get()
    assert request.reference.encode() in done.content
    assert b"Request sent" in done.content
    assert request.help_modes == ["library", "phone"] and request.consent_to_share
    # Kept in the week's order, whatever order they came in.
    assert (request.free_days, request.free_parts) == (["tue", "thu"], ["afternoon"])
    assert (request.has_device, request.has_internet) == ("yes", "no")
    assert len(mail.outbox) == 1
    status = Client().get(status_url(request))
    assert b"We have your request" in status.content
    Client().post(status_url(request), {"action": "withdraw"})
    request.refresh_from_db()
    assert request.outcome == "withdrawn"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("needs", {}, b"Select what you would like help with"),
        ("needs", {"needs": ["nonsense"]}, b"Select a valid choice"),
        ("device", {}, b"Select yes, no or not sure"),
        ("internet", {}, b"Select yes, no or not sure"),
        ("contact", {"name": "A"}, b"Enter a phone number or an email address"),
        ("contact", {"name": "A", "phone": "12"}, b"Enter a phone number, like"),
        ("contact", {"name": "\u200b", "email": "a@example.org"}, b"Enter your name"),
        ("contact", {"name": "A", "email": "not an email"}, b"Enter an email address in the"),
        ("where", {"postcode_or_town": "x" * 101}, b"100 characters"),
    ],
)
def test_bad_answers_get_a_clear_error(step, data, message) -> None:
    client = Client()
    answer_up_to(client, step)
    response = client.post(step_url(step), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_skipping_ahead_goes_back_to_the_first_unanswered_question() -> None:
    response = Client().get(step_url("contact"))
    assert response["Location"] == step_url("needs")
    assert Client().get(reverse("helpdesk_public:check"))["Location"] == step_url("needs")
    assert Client().get(step_url("no-such-step")).status_code == 404


@pytest.mark.django_db
def test_status_link_cannot_be_guessed() -> None:
    assert Client().get(reverse("helpdesk_public:status", args=["guess"])).status_code == 404


@pytest.mark.django_db
def test_questions_are_plain_english() -> None:
    client = Client()
    html = client.get(step_url("needs")).content.decode()
    assert re.search(r"What would you like help with\?", html)
    assert f"Question 1 of {len(STEPS)}" in html


# ---------------------------------------------------------------- question pages


def h1s(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h1\b.*?</h1>", html, re.S)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "question"),
    [
        ("needs", "What would you like help with?"),
        ("device", "Do you have a phone, tablet or computer you can use?"),
        ("internet", "Can you get on the internet at home?"),
        ("how", "How would you like help?"),
        (
            "consent",
            "Can we share your name, contact details and what you need "
            "with a volunteer who will help you?",
        ),
    ],
)
def test_a_question_of_choices_is_the_page_heading(step, question) -> None:
    client = Client()
    answer_up_to(client, step)
    html = client.get(step_url(step)).content.decode()
    # The legend is the h1, with the caption inside it: no separate heading repeating it.
    legend = re.search(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">(.*?)</legend>',
        html,
        re.S,
    )
    assert legend, html
    assert f"Question {STEPS.index(step) + 1} of {len(STEPS)}" in legend.group(1)
    assert re.search(
        rf'<h1 class="govuk-fieldset__heading">{re.escape(question)}</h1>', legend.group(1)
    )
    assert h1s(html) == [question]
    assert html.count(question) == 2  # the heading and the page title
    assert f"<title>{question} \N{EN DASH} Get digital help" in html
    assert html.count("<legend") == 1


@pytest.mark.django_db
def test_an_optional_detail_follows_the_heading_question_on_the_needs_page() -> None:
    html = Client().get(step_url("needs")).content.decode()
    assert h1s(html) == ["What would you like help with?"]
    fieldset_end = html.index("</fieldset>")
    label = html.index("Tell us what you would like to be able to do (optional)")
    assert label > fieldset_end and 'name="what_they_want"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "heading"),
    [
        ("contact", "How can we contact you?"),
        ("where", "Where do you live?"),
        ("more", "Anything else we should know?"),
        ("free", "When are you usually free?"),
    ],
)
def test_a_page_of_several_questions_keeps_its_own_heading(step, heading) -> None:
    client = Client()
    answer_up_to(client, step)
    html = client.get(step_url(step)).content.decode()
    assert re.search(rf'<h1 class="govuk-heading-l">{re.escape(heading)}</h1>', html)
    assert h1s(html) == [heading]
    assert "govuk-fieldset__legend--l" not in html
    assert "Question" in html and f"of {len(STEPS)}" in html


@pytest.mark.django_db
def test_a_heading_question_shows_its_error_and_keeps_the_answer() -> None:
    client = Client()
    answer_up_to(client, "internet")
    html = client.post(step_url("internet"), {}).content.decode()
    assert html.count("Select yes, no or not sure") == 2  # summary and message
    assert '<a href="#id_has_internet_0">' in html
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_has_internet_helptext id_has_internet_error"' in html
    assert "<title>Error: Can you get on the internet at home?" in html
    # Coming back to an answered question shows the answer given.
    client.post(step_url("internet"), {"has_internet": "not_sure"})
    again = client.get(step_url("internet")).content.decode()
    assert re.search(r'value="not_sure"[^>]*checked', again)


# ---------------------------------------------------------------- one thing per page


@pytest.mark.django_db
def test_the_device_and_internet_questions_are_asked_one_at_a_time() -> None:
    client = Client()
    answer_up_to(client, "device")
    device = client.get(step_url("device")).content.decode()
    assert 'name="has_device"' in device and 'name="has_internet"' not in device
    assert client.post(step_url("device"), {"has_device": "no"})["Location"] == step_url("internet")
    internet = client.get(step_url("internet"))
    html = internet.content.decode()
    assert 'name="has_internet"' in html and 'name="has_device"' not in html
    assert f'href="{step_url("device")}" class="govuk-back-link"' in html
    assert client.post(step_url("internet"), {"has_internet": "yes"})["Location"] == step_url("how")
    # The internet question cannot be reached before the device one.
    assert Client().get(step_url("internet"))["Location"] == step_url("needs")


@pytest.mark.django_db
def test_check_answers_links_each_answer_to_its_own_question() -> None:
    client = Client()
    for step, data in ANSWERS:
        client.post(step_url(step), data)
    html = client.get(reverse("helpdesk_public:check")).content.decode()
    rows = dict(
        re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt>.*?<a class="govuk-link" href="(.*?)"',
            html,
            re.S,
        )
    )
    assert rows["Phone, tablet or computer"] == step_url("device")
    assert rows["Internet at home"] == step_url("internet")
    assert rows["Email address"] == step_url("contact")
    # Changing an answer goes back to check your answers.
    response = client.post(step_url("internet"), {"has_internet": "yes"})
    assert response["Location"] == reverse("helpdesk_public:check")
    check = client.get(reverse("helpdesk_public:check")).content.decode()
    assert re.search(r"Internet at home</dt>\s*<dd[^>]*>Yes</dd>", check)


# ---------------------------------------------------------------- when we will contact you


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (48, "within 2 days"),
        (72, "within 3 days"),
        (24, "within 24 hours"),
        (36, "within 36 hours"),
        (1, "within 1 hour"),
        (0, "soon"),
    ],
)
def test_the_first_contact_promise_is_in_plain_words(hours, words) -> None:
    assert first_contact_promise(hours) == words


@pytest.mark.django_db(transaction=True)
@override_settings(FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS=72)
def test_the_promise_follows_the_first_contact_target(sms_outbox) -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    client = Client()
    answers = dict(ANSWERS)
    answers["contact"] = {"name": "Margaret Jones", "phone": "07700 900123", "email": ""}
    for step, data in answers.items():
        client.post(step_url(step), data)
    done = client.post(reverse("helpdesk_public:check"), follow=True).content.decode()
    assert "will contact you by phone within 3 days to arrange help" in done
    assert "Someone from the County Libraries digital help team" in done
    assert len(sms_outbox) == 1
    assert "We will contact you within 3 days." in sms_outbox[0]["body"]
    by_email = services.submit_request(
        answers=services.IntakeAnswers(
            needs=["email"],
            name="Ann",
            email="ann@example.org",
            postcode_or_town="DT1",
            help_modes=["library"],
        )
    )
    assert mail.outbox[0].to == [by_email.email]
    assert "Someone will contact you within 3 days to arrange help." in mail.outbox[0].body
    for text in (done, sms_outbox[0]["body"], mail.outbox[0].body):
        assert "working days" not in text and not OLD_SPELLING.search(text)


@pytest.mark.django_db
@override_settings(
    FINGERPOST_SITE_URL="https://digital-help.dorset-digital-partnership.example.org.uk/residents",
    FINGERPOST_SERVICE_NAME="Dorset Digital Partnership help desk",
    FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS=36,
)
def test_the_confirmation_text_fits_in_two_texts_with_a_long_address() -> None:
    request = HelpRequestFactory(email="", phone="07700900123")
    text = services.confirmation_text(request)
    assert "within 36 hours" in text and status_url(request) in text
    assert len(text) <= 306, len(text)


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_is_plain_text_not_html(sms_outbox) -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    for email, phone in (("mary@example.org", ""), ("", "07700 900123")):
        services.submit_request(
            answers=services.IntakeAnswers(
                needs=["email"],
                name="Mary O'Brien",
                email=email,
                phone=phone,
                postcode_or_town="DT1",
                help_modes=["library"],
            )
        )
    assert "Hello Mary O'Brien," in mail.outbox[0].body
    for text in (mail.outbox[0].body, sms_outbox[0]["body"]):
        assert "&#x27;" not in text and "&amp;" not in text


# ---------------------------------------------------------------- the status page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phone", "email", "how"),
    [
        ("07700900123", "", "by phone"),
        ("", "ann@example.org", "by email"),
        ("07700900123", "ann@example.org", "by phone or email"),
    ],
)
def test_the_status_page_says_the_team_will_contact_you(phone, email, how) -> None:
    library = OrganisationFactory(name="County Libraries", kind="library")
    request = HelpRequestFactory(organisation=library, phone=phone, email=email)
    html = Client().get(status_url(request)).content.decode()
    assert f"Someone from the County Libraries digital help team will contact you {how}." in html
    assert not OLD_SPELLING.search(html)


@pytest.mark.django_db
def test_the_status_page_names_the_champion_by_first_name_only() -> None:
    champion = UserFactory(
        role=Role.CHAMPION, full_name="Priya  Sharma-Patel", email="priya.s@example.org"
    )
    request = HelpRequestFactory(
        assigned_to=champion, status="assigned", phone="07700900123", email=""
    )
    html = Client().get(status_url(request)).content.decode()
    assert "Priya, a volunteer digital champion, will contact you by phone." in html
    assert "Sharma" not in html and "priya.s@example.org" not in html
    assert "digital help team" not in html


@pytest.mark.django_db
def test_without_an_active_champion_the_team_will_contact_you() -> None:
    library = OrganisationFactory(name="County Libraries", kind="library")
    gone = UserFactory(role=Role.CHAMPION, full_name="Sam Jones", is_active=False)
    request = HelpRequestFactory(organisation=library, assigned_to=gone, status="assigned")
    html = Client().get(status_url(request)).content.decode()
    assert "Someone from the County Libraries digital help team will contact you" in html
    assert "Sam" not in html


@pytest.mark.django_db
def test_a_closed_request_says_nobody_will_contact_you() -> None:
    champion = UserFactory(role=Role.CHAMPION, full_name="Priya Sharma")
    request = HelpRequestFactory(assigned_to=champion, status="assigned")
    Client().post(status_url(request), {"action": "withdraw"})
    html = Client().get(status_url(request)).content.decode()
    assert "You told us you no longer need help." in html
    assert "will contact you" not in html and "Priya" not in html


@pytest.mark.django_db
def test_the_status_page_makes_the_same_queries_however_much_it_shows() -> None:
    from django.db import connection

    def queries(request: HelpRequest) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(status_url(request))
        assert response.status_code == 200
        return len(captured.captured_queries)

    plain = HelpRequestFactory()
    champion = UserFactory(role=Role.CHAMPION, full_name="Priya Sharma")
    event = EventFactory(audience="public")
    booking = event_services.book_places(
        event_id=event.pk, name="Ann", email="ann@example.org"
    ).booking
    full = HelpRequestFactory(assigned_to=champion, status="assigned", event_booking=booking)
    html = Client().get(status_url(full)).content.decode()
    assert "Priya, a volunteer digital champion" in html and "We have booked you a place" in html
    # One query, with the organisation, champion and booking joined in.
    assert queries(plain) == queries(full) == 1


# ---------------------------------------------------------------- "email", not "email"


@pytest.mark.django_db(transaction=True)
def test_resident_pages_say_email_not_e_mail() -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    client = Client()
    pages = []
    for step, data in ANSWERS:
        pages.append(client.get(step_url(step)).content.decode())
        client.post(step_url(step), data)
    check = client.get(reverse("helpdesk_public:check")).content.decode()
    assert "Email address" in check
    pages.append(check)
    pages.append(client.post(reverse("helpdesk_public:check"), follow=True).content.decode())
    pages.append(Client().get(status_url(HelpRequest.objects.get())).content.decode())
    pages.append(mail.outbox[0].body)
    contact = pages[STEPS.index("contact")]
    assert "Email address" in contact and "an email address or both" in contact
    assert "by email" in pages[-3] and "by email" in pages[-2]
    for page in pages:
        assert not OLD_SPELLING.search(page), OLD_SPELLING.search(page)


# ---------------------------------------------------------------- when the resident is free


@pytest.mark.django_db
def test_when_you_are_free_is_asked_after_how_and_shown_with_a_change_link() -> None:
    client = Client()
    answer_up_to(client, "free")
    assert client.get(step_url("how")).status_code == 200
    html = client.get(step_url("free")).content.decode()
    assert h1s(html) == ["When are you usually free?"]
    for label in ("Monday", "Sunday", "Morning", "Afternoon", "Evening"):
        assert re.search(rf"<label[^>]*>\s*{label}\s*</label>", html), label
    assert 'type="checkbox"' in html and 'name="free_days"' in html and 'name="free_parts"' in html
    for step, data in ANSWERS[STEPS.index("free") :]:
        client.post(step_url(step), data)
    check = client.get(reverse("helpdesk_public:check")).content.decode()
    assert re.search(
        r"When you are usually free</dt>\s*<dd[^>]*>Tuesday and Thursday: afternoons</dd>\s*"
        rf'<dd[^>]*><a class="govuk-link" href="{re.escape(step_url("free"))}">Change',
        check,
    ), check
    # Changed from check your answers: straight back there, the new answer shown.
    response = client.post(step_url("free"), {"free_parts": ["evening"]})
    assert response["Location"] == reverse("helpdesk_public:check")
    check = client.get(reverse("helpdesk_public:check")).content.decode()
    assert "Any day: evenings" in check
    again = client.get(step_url("free")).content.decode()
    assert re.search(r'value="evening"[^>]*checked', again)


@pytest.mark.django_db(transaction=True)
def test_when_you_are_free_can_be_skipped() -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    client = Client()
    answer_up_to(client, "free")
    response = client.post(step_url("free"), {})
    assert response["Location"] == step_url("contact")
    for step, data in ANSWERS[STEPS.index("contact") :]:
        client.post(step_url(step), data)
    check = client.get(reverse("helpdesk_public:check")).content.decode()
    assert re.search(r"When you are usually free</dt>\s*<dd[^>]*>Not given</dd>", check)
    client.post(reverse("helpdesk_public:check"))
    request = HelpRequest.objects.get()
    assert (request.free_days, request.free_parts) == ([], [])


@pytest.mark.django_db
def test_when_you_are_free_refuses_made_up_times() -> None:
    client = Client()
    answer_up_to(client, "free")
    html = client.post(step_url("free"), {"free_days": ["someday"]}).content.decode()
    assert "Select days of the week" in html
    html = client.post(step_url("free"), {"free_parts": ["midnight"]}).content.decode()
    assert "Select morning, afternoon or evening" in html
