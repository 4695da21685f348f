"""A live quiz run from one laptop with players on phones: the presenter
starts it, two phones join (one without JavaScript), a third comes in late,
one reloads mid-question, everyone answers, and the room sees the answer,
the leaderboard, the podium and the results by point. Every screen passes
axe, the presenter's included."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from fingerpost.accounts.roles import Role
from fingerpost.quiz.models import Answer, Choice, LiveSession
from fingerpost.quiz.standard import points
from tests.factories import UserFactory
from tests.quiz.factories import make_quiz

from .axe import assert_no_axe_violations, assert_no_problems, audit
from .checks import SMALL_PHONE, sideways_scroll
from .pages import sign_in, visit

LIVE_TIMEOUT_MS = 8_000  # polls every second; a change shows within a couple


def _join(page: Page, code: str, nickname: str) -> None:
    visit(page, "/quiz/")
    page.get_by_label("Quiz code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your nickname").fill(nickname)
    page.get_by_role("button", name="Join the quiz").click()
    page.wait_for_url(f"**/quiz/{code}/play/")


def _right(session: LiveSession, position: int) -> str:
    return Choice.objects.get(question_id=session.question_ids[position], is_correct=True).text


def _wrong(session: LiveSession, position: int) -> str:
    choice = Choice.objects.filter(question_id=session.question_ids[position], is_correct=False)
    return choice.first().text  # type: ignore[union-attr]


def test_a_live_quiz_from_one_laptop_with_phones(
    new_context: Callable[..., BrowserContext],
) -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    make_quiz(questions=2, seconds=60, by=organiser)
    presenter = new_context().new_page()
    ada = new_context(viewport=SMALL_PHONE).new_page()
    bob = new_context(viewport=SMALL_PHONE, java_script_enabled=False).new_page()
    late = new_context(viewport=SMALL_PHONE).new_page()
    problems: list[str] = []

    # The organiser starts a session and the screen shows the code and QR code.
    sign_in(presenter, organiser)
    visit(presenter, "/quiz/manage/")
    assert_no_axe_violations(presenter, "quizzes")
    presenter.get_by_role("button", name="Start a live session of Test quiz").click()
    presenter.wait_for_url("**/quiz/present/*/")
    session = LiveSession.objects.get()
    expect(presenter.locator(".fp-quiz-code")).to_have_text(session.code)
    expect(presenter.locator("svg.fp-quiz-qr")).to_be_visible()
    assert_no_axe_violations(presenter, "presenter: lobby")

    # Two phones join; the presenter's screen lists them without a reload.
    _join(ada, session.code, "Ada")
    assert_no_axe_violations(ada, "phone: lobby")
    problems.append(sideways_scroll(ada, "phone: lobby"))
    _join(bob, session.code, "Bob")
    expect(bob.locator("h1")).to_contain_text("re in!")
    expect(presenter.locator(".fp-quiz-players")).to_contain_text("Bob", timeout=LIVE_TIMEOUT_MS)

    # The first question: the phone with JavaScript shows it by itself.
    presenter.get_by_role("button", name="Start the quiz").click()
    expect(presenter.locator("h1")).to_contain_text(session.quiz.items.first().question.text)
    assert_no_axe_violations(presenter, "presenter: question")
    right, wrong = _right(session, 0), _wrong(session, 0)
    expect(ada.get_by_role("button", name=right)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    assert_no_axe_violations(ada, "phone: question")
    problems.append(sideways_scroll(ada, "phone: question"))
    ada.get_by_role("button", name=right).click()
    expect(ada.get_by_role("heading", name="Answer sent")).to_be_visible()

    # Reloading mid-question keeps the player's place and answer.
    ada.reload()
    expect(ada.get_by_role("heading", name="Answer sent")).to_be_visible()
    expect(ada.locator(".govuk-caption-m")).to_contain_text("Ada")

    # Without JavaScript the phone refreshes by itself (a <noscript> refresh;
    # reloading by hand would race it) and answers by form.
    expect(bob.get_by_role("button", name=wrong)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    bob.get_by_role("button", name=wrong).click()
    expect(bob.get_by_role("heading", name="Answer sent")).to_be_visible()
    # (axe runs on the phone with JavaScript: the same markup, without the
    # <noscript> refresh, which reloads the page under axe's feet.)

    # A late joiner waits for the next question.
    _join(late, session.code, "Late Lou")
    expect(late.locator("main")).to_contain_text("You can answer from the next one")
    expect(presenter.locator("main")).to_contain_text("2 of 3 answered", timeout=LIVE_TIMEOUT_MS)

    # Time up: both screens show the right answer and the explanation.
    presenter.get_by_role("button", name="Stop answers now").click()
    expect(presenter.locator(".fp-quiz-right")).to_contain_text(right)
    assert_no_axe_violations(presenter, "presenter: answer")
    expect(ada.locator("h1")).to_have_text("Right!", timeout=LIVE_TIMEOUT_MS)
    assert_no_axe_violations(ada, "phone: answer")
    drawn = ada.locator("#quiz-live").inner_text()
    ada.reload()
    expect(ada.locator("h1")).to_have_text("Right!")
    assert ada.locator("#quiz-live").inner_text() == drawn
    expect(bob.locator("h1")).to_have_text("Not this time", timeout=LIVE_TIMEOUT_MS)

    presenter.get_by_role("button", name="Show the leaderboard").click()
    expect(presenter.locator(".fp-quiz-leaders tbody tr").first).to_contain_text("Ada")
    assert_no_axe_violations(presenter, "presenter: leaderboard")
    expect(ada.locator("h1")).to_have_text("Leaderboard", timeout=LIVE_TIMEOUT_MS)
    expect(ada.locator("main")).to_contain_text("You are in place 1 of 3")
    assert_no_axe_violations(ada, "phone: leaderboard")

    # The last question: the late joiner plays now.
    presenter.get_by_role("button", name="Next question").click()
    right = _right(session, 1)
    expect(late.get_by_role("button", name=right)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    late.get_by_role("button", name=right).click()
    expect(late.get_by_role("heading", name="Answer sent")).to_be_visible()
    presenter.get_by_role("button", name="Stop answers now").click()
    presenter.get_by_role("button", name="Show the leaderboard").click()
    presenter.get_by_role("button", name="Show the podium").click()
    expect(presenter.locator("h1")).to_have_text("The podium")
    expect(ada.locator("h1")).to_have_text("The quiz has finished", timeout=LIVE_TIMEOUT_MS)
    expect(ada.locator(".fp-quiz-leaders")).to_contain_text("Late Lou")
    expect(ada.locator(".fp-quiz-leaders")).to_contain_text("Ada")
    expect(ada.locator("main")).to_contain_text(" of 3, with ")
    assert_no_axe_violations(ada, "phone: podium")
    # The podium the script drew is the one the server draws after a reload.
    drawn = ada.locator("#quiz-live").inner_text()
    ada.reload()
    expect(ada.locator("h1")).to_have_text("The quiz has finished")
    assert ada.locator("#quiz-live").inner_text() == drawn
    expect(bob.locator("h1")).to_have_text("The quiz has finished", timeout=LIVE_TIMEOUT_MS)

    # The per-point chart on the big screen starts the discussion.
    presenter.get_by_role("button", name="Show the results by point").click()
    expect(presenter.locator("svg.fp-chart")).to_be_visible()
    assert_no_axe_violations(presenter, "presenter: podium and results by point")
    assert Answer.objects.count() == 3

    code = session.code
    for path in [
        f"/quiz/results/{code}/",
        "/quiz/questions/",
        "/quiz/questions/new/",
        "/quiz/manage/new/",
        f"/quiz/manage/{session.quiz_id}/",
        f"/quiz/questions/{session.question_ids[0]}/",
    ]:
        problems.append(audit(presenter, path, "organiser"))
    assert_no_problems(problems)


def test_self_assessment_pages_pass_axe(new_context: Callable[..., BrowserContext]) -> None:
    member = UserFactory(role=Role.MEMBER)
    page = new_context().new_page()
    sign_in(page, member)
    problems = [audit(page, "/quiz/assessments/", "member")]
    page.get_by_label("Name of the service").fill("Renew a library book")
    page.get_by_role("button", name="Start an assessment").click()
    assert_no_axe_violations(page, "assessment form")
    for point, title in points().items():
        page.get_by_role("group", name=f"{point}. {title}").get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Save and submit").click()
    expect(page.locator("h1")).to_have_text("Renew a library book")
    assert_no_axe_violations(page, "assessment result")
    organiser = UserFactory(role=Role.ORGANISER)
    other = new_context().new_page()
    sign_in(other, organiser)
    problems.append(audit(other, "/quiz/assessments/compare/", "organiser"))
    problems.append(audit(new_context().new_page(), "/quiz/", "anonymous"))
    assert_no_problems(problems)


def test_an_organiser_reorders_and_removes_questions_in_the_browser(
    new_context: Callable[..., BrowserContext],
) -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    quiz = make_quiz(questions=3, by=organiser)
    first, second, third = [i.question.text for i in quiz.items.order_by("position")]
    page = new_context().new_page()
    sign_in(page, organiser)
    visit(page, f"/quiz/manage/{quiz.pk}/")
    order = page.locator("#order + p + ol > li > span")
    expect(order).to_have_text([first, second, third])
    assert_no_axe_violations(page, "quiz order")

    # Buttons are named by their question (aria-describedby), one form each.
    page.locator("li", has_text=third).get_by_role("button", name="Move up").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Order saved")
    expect(order).to_have_text([first, third, second])
    page.locator("li", has_text=first).get_by_role("button", name="Move down").click()
    expect(order).to_have_text([third, first, second])
    page.locator("li", has_text=second).get_by_role("button", name="Remove").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Question removed")
    expect(order).to_have_text([third, first])
    # The first has no "Move up", the last no "Move down".
    expect(page.locator("li", has_text=third).get_by_role("button", name="Move up")).to_have_count(
        0
    )
    expect(
        page.locator("li", has_text=first).get_by_role("button", name="Move down")
    ).to_have_count(0)
    assert_no_axe_violations(page, "quiz order after changes")
    assert [i.question.text for i in quiz.items.order_by("position")] == [third, first]
