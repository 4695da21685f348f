"""The skills check: the UK essential digital skills framework's foundation
skills and five areas (data/essential_digital_skills.json holds the
framework's facts), each asked as a few everyday tasks in our own words.

Every task names the help desk need that covers it, so the gaps someone has
become the needs of a help request, and a first thing to learn next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fingerpost.helpdesk.models import Need

FRAMEWORK_FILE = Path(__file__).parent / "data" / "essential_digital_skills.json"


class Answer:
    YES = "yes"
    WITH_HELP = "with_help"
    NOT_YET = "not_yet"

    CHOICES = [
        (YES, _("Yes, I can do this")),
        (WITH_HELP, _("I can with some help")),
        (NOT_YET, _("Not yet")),
    ]


@dataclass(frozen=True)
class Task:
    key: str
    text: Promise
    next_step: Promise
    need: str


@dataclass(frozen=True)
class SkillArea:
    key: str
    # The framework's name for the area, and ours for residents.
    framework_title: str
    title: Promise
    intro: Promise
    tasks: tuple[Task, ...]


@cache
def framework_facts() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(FRAMEWORK_FILE.read_text())
    return facts


def _framework_title(key: str) -> str:
    facts = framework_facts()
    if key == facts["foundation"]["key"]:
        return str(facts["foundation"]["title"])
    return next(str(a["title"]) for a in facts["areas"] if a["key"] == key)


AREAS: tuple[SkillArea, ...] = (
    SkillArea(
        "foundation",
        _framework_title("foundation"),
        _("The basics"),
        _("These are the first things to learn. Everything else builds on them."),
        (
            Task(
                "switch_on",
                _("Turn on a phone, tablet or computer and get into it"),
                _("Ask someone to show you how to turn on and unlock your phone or tablet"),
                Need.USING_A_DEVICE,
            ),
            Task(
                "wifi",
                _("Connect to Wi-Fi"),
                _("Learn how to join Wi-Fi at home or at the library"),
                Need.GETTING_ONLINE,
            ),
            Task(
                "browser",
                _("Open a website by typing its name or searching for it"),
                _("Practise looking things up on the internet"),
                Need.GETTING_ONLINE,
            ),
            Task(
                "passwords",
                _("Make a good password and change it when you need to"),
                _("Learn how to make passwords that are hard to guess"),
                Need.STAYING_SAFE,
            ),
        ),
    ),
    SkillArea(
        "communicating",
        _framework_title("communicating"),
        _("Talking to people online"),
        _("Keeping in touch with family, friends and services."),
        (
            Task(
                "email",
                _("Send an email and reply to one"),
                _("Set up an email address and send your first email"),
                Need.EMAIL,
            ),
            Task(
                "video_call",
                _("Make a video call to family or friends"),
                _("Make a video call, with someone there to help the first time"),
                Need.VIDEO_CALLS,
            ),
            Task(
                "messages",
                _("Send a message or a photo with an app, like WhatsApp"),
                _("Learn to send messages and photos on your phone"),
                Need.EMAIL,
            ),
        ),
    ),
    SkillArea(
        "handling_information",
        _framework_title("handling_information"),
        _("Finding and keeping information"),
        _("Finding things out, and keeping photos and files safe."),
        (
            Task(
                "search",
                _("Find information you can trust on the internet"),
                _("Learn how to tell if a website can be trusted"),
                Need.USING_A_DEVICE,
            ),
            Task(
                "save",
                _("Save a photo or a file and find it again later"),
                _("Learn where your phone keeps your photos and files"),
                Need.USING_A_DEVICE,
            ),
            Task(
                "ebooks",
                _("Borrow an e-book or audiobook from the library"),
                _("Borrow e-books on your phone with your library card"),
                Need.USING_A_DEVICE,
            ),
        ),
    ),
    SkillArea(
        "transacting",
        _framework_title("transacting"),
        _("Buying things and using services"),
        _("Shopping, banking, and services like the GP and the council."),
        (
            Task(
                "forms",
                _("Fill in a form online, like booking a GP appointment"),
                _("Fill in an online form with someone there to help"),
                Need.ONLINE_FORMS,
            ),
            Task(
                "council",
                _("Use a council or government service online, like paying a bill"),
                _("Set up an account for council or government services"),
                Need.ONLINE_FORMS,
            ),
            Task(
                "shopping",
                _("Buy something online and pay safely"),
                _("Learn how to shop online safely"),
                Need.SHOPPING_BANKING,
            ),
            Task(
                "banking",
                _("Check your bank account online or with an app"),
                _("Ask your bank or a volunteer to help you set up online banking"),
                Need.SHOPPING_BANKING,
            ),
        ),
    ),
    SkillArea(
        "problem_solving",
        _framework_title("problem_solving"),
        _("Solving problems"),
        _("Sorting things out when they do not work, and learning new things."),
        (
            Task(
                "fix",
                _("Find help online when something does not work, like a how-to video"),
                _("Learn how to find how-to guides and videos"),
                Need.USING_A_DEVICE,
            ),
            Task(
                "learn",
                _("Use a website or video to learn something new"),
                _("Try a free online course for beginners"),
                Need.USING_A_DEVICE,
            ),
        ),
    ),
    SkillArea(
        "safe_and_legal",
        _framework_title("safe_and_legal"),
        _("Staying safe online"),
        _("Keeping yourself, your money and your information safe."),
        (
            Task(
                "scams",
                _("Spot an email or text message that might be a scam"),
                _("Learn the signs of a scam message"),
                Need.STAYING_SAFE,
            ),
            Task(
                "updates",
                _("Keep your phone, tablet or computer up to date"),
                _("Learn how to update your phone or tablet"),
                Need.STAYING_SAFE,
            ),
            Task(
                "privacy",
                _("Choose what you share about yourself online"),
                _("Learn how to check your privacy settings"),
                Need.STAYING_SAFE,
            ),
        ),
    ),
)

AREA_KEYS = [area.key for area in AREAS]


def area(key: str) -> SkillArea:
    return next(a for a in AREAS if a.key == key)
