"""The partnership network in a real browser: a member finds someone by
discipline, starts a conversation, shares a resource and moves a card, with
JavaScript off and on (drag and drop, and the keyboard); an organiser hides
a reported post; every network page passes axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fingerpost.accounts.roles import Role
from fingerpost.network.models import Card, Post
from fingerpost.network.services import conversations
from tests.network import factories

from .axe import assert_no_axe_violations, assert_no_problems, audit, format_violations, run_axe
from .pages import sign_in, submit, visit


@pytest.fixture
def no_js(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False).new_page()


def _board_with_cards(lead):  # type: ignore[no-untyped-def]
    initiative = factories.initiative(by=lead, title="Digital inclusion week")
    board = factories.board_of(initiative)
    for title in ("Book venues", "Recruit volunteers"):
        factories.card(board, lead, title)
    return board


def _list_of(title: str) -> str:
    return Card.objects.select_related("list").get(title=title).list.name


# axe-core runs inside the page, so it is run on these same pages with
# JavaScript on (test_every_network_page_passes_axe); here the flows alone.
def test_a_member_does_it_all_without_javascript(no_js: Page, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    page = no_js
    me = factories.member()
    factories.member(
        job_title="Web developer",
        discipline=factories.discipline("web-development"),
        skills="accessibility testing",
    )
    board = _board_with_cards(me)
    sign_in(page, me)

    visit(page, "/network/")
    page.get_by_role("link", name="Web development").first.click()
    assert page.locator("main").get_by_text("Web developer").count() == 1

    visit(page, "/network/topics/new/")
    page.get_by_label("Title").fill("Accessibility testing tools")
    submit(page)
    page.get_by_label("Your post").fill("Which screen readers do you test with?")
    submit(page, "main form:has(textarea[name=body])")
    assert "Your post is published" in page.locator("body").inner_text()

    visit(page, "/network/resources/new/")
    page.get_by_label("Title").fill("Testing checklist")
    page.get_by_label("Or upload a file").set_input_files(
        files=[{"name": "checklist.pdf", "mimeType": "application/pdf", "buffer": factories.PDF}]
    )
    submit(page)
    assert "is in the library" in page.locator("body").inner_text()

    visit(page, "/network/resources/new/")
    page.get_by_label("Title").fill("A program")
    page.get_by_label("Or upload a file").set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}]
    )
    submit(page)
    assert "The file must be a" in page.locator(".govuk-error-summary").inner_text()

    visit(page, board.get_absolute_url())
    card = page.locator("li.fp-card", has_text="Book venues")
    card.locator("summary").click()
    card.get_by_label("List").select_option(label="Done")
    with page.expect_navigation():
        card.get_by_role("button", name="Move the card").click()
    assert _list_of("Book venues") == "Done"


def test_an_organiser_hides_a_reported_post(no_js: Page) -> None:
    page = no_js
    organiser = factories.member(role=Role.ORGANISER)
    author = factories.member()
    topic = factories.topic(by=author, title="General")
    post = factories.post(topic, by=author, body="Buy cheap watches here")
    conversations.report_post(post=post, by=factories.member(), reason="Spam")
    sign_in(page, organiser)
    visit(page, "/network/reported/")
    page.get_by_role("link", name="Hide the post").click()
    page.get_by_label("Why are you hiding this post?").fill("Advertising is not allowed")
    submit(page)
    assert "Hidden by an organiser: Advertising is not allowed" in page.locator("main").inner_text()
    assert Post.objects.get(pk=post.pk).is_hidden


def test_drag_and_drop_and_the_keyboard_move_cards(page: Page) -> None:
    lead = factories.member()
    board = _board_with_cards(lead)
    sign_in(page, lead)
    visit(page, board.get_absolute_url())
    assert_no_axe_violations(page, "board with JavaScript")

    source = page.locator("li.fp-card", has_text="Recruit volunteers")
    with page.expect_navigation():
        source.drag_to(page.locator("[data-list-name=Doing]"))
    assert _list_of("Recruit volunteers") == "Doing"

    pick_up = page.locator("li.fp-card", has_text="Book venues").get_by_role(
        "button", name="Pick up"
    )
    pick_up.focus()
    page.keyboard.press("Enter")
    assert pick_up.get_attribute("aria-pressed") == "true"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-board-announcer]")).to_have_text("Done, position 1 of 1.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _list_of("Book venues") == "Done"


def test_every_network_page_passes_axe(page: Page, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    organiser = factories.member(role=Role.ORGANISER, skills="facilitation")
    topic = factories.topic(by=organiser)
    post = factories.post(topic, by=organiser)
    conversations.create_post(topic=topic, by=factories.member(), body="A reply", parent=post)
    resource = factories.file_resource(by=organiser)
    board = _board_with_cards(organiser)
    card = Card.objects.filter(board=board).first()
    assert card is not None
    initiative = board.initiative
    sign_in(page, organiser)
    handle = factories.profile_of(organiser).handle
    reports = [
        audit(page, path, "organiser")
        for path in [
            "/network/",
            "/network/people/",
            f"/network/people/{handle}/",
            "/network/profile/",
            "/network/emails/",
            "/network/search/?q=facilitation",
            "/network/topics/",
            "/network/topics/new/",
            topic.get_absolute_url(),
            f"/network/topics/{topic.slug}/posts/{post.pk}/reply/",
            f"/network/topics/{topic.slug}/posts/{post.pk}/edit/",
            "/network/reported/",
            f"/network/reported/{post.pk}/hide/",
            "/network/resources/",
            "/network/resources/new/",
            resource.get_absolute_url(),
            f"/network/resources/{resource.slug}/edit/",
            f"/network/resources/{resource.slug}/new-version/",
            "/network/initiatives/",
            "/network/initiatives/new/",
            initiative.get_absolute_url(),
            f"/network/initiatives/{initiative.slug}/import/",
            board.get_absolute_url(),
            f"/network/boards/{board.pk}/cards/new/",
            f"/network/boards/{board.pk}/history/",
            f"/network/boards/{board.pk}/archived/",
            card.get_absolute_url(),
            f"/network/cards/{card.pk}/edit/",
        ]
    ]
    visit(page, "/network/resources/new/")
    page.get_by_label("Title").fill("A program")
    page.get_by_label("Or upload a file").set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}]
    )
    submit(page)
    reports.append(format_violations(run_axe(page), "a refused upload"))
    assert_no_problems(reports)
