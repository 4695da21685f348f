"""Demo data for the network: profiles for the demo accounts, a topic for
each starting discipline, a few resources and a shared initiative."""

from __future__ import annotations

from django.db import transaction

from fingerpost.accounts.models import User

from .models import Discipline, Initiative, Resource, Topic
from .services import boards, conversations, people, resources

PROFILES = {
    "organiser@example.org": (
        "Partnership manager",
        "business-change",
        "facilitation, service design",
        "Running the network",
    ),
    "coordinator@example.org": (
        "Library digital lead",
        "customer-service",
        "digital inclusion, training volunteers",
        "Helping residents get online",
    ),
    "champion@example.org": (
        "Digital champion",
        "customer-service",
        "tablets, video calls",
        "Getting started with a tablet",
    ),
    "member@example.org": (
        "Web developer",
        "web-development",
        "accessibility testing, Django, GOV.UK Frontend",
        "Accessibility testing",
    ),
    "admin@example.org": (
        "ICT service manager",
        "ict",
        "Microsoft 365, networks",
        "Wi-Fi in public buildings",
    ),
}


def create_demo_data(*, scale: int = 1) -> dict[str, int]:
    made = {"profiles": 0, "topics": 0, "resources": 0, "initiatives": 0}
    users = {u.email: u for u in User.objects.filter(email__in=PROFILES)}
    if not users:
        return made
    by = users.get("organiser@example.org") or next(iter(users.values()))
    with transaction.atomic():
        for email, (title, discipline_slug, skills, ask) in PROFILES.items():
            user = users.get(email)
            if user is None or not user.has_perm("network.view"):
                continue
            profile = people.ensure_profile(user=user)
            if not profile.job_title:
                people.update_profile(
                    profile=profile,
                    by=user,
                    details={
                        "job_title": title,
                        "discipline": Discipline.objects.filter(slug=discipline_slug).first(),
                        "skills": skills,
                        "ask_me_about": ask,
                    },
                )
                made["profiles"] += 1
        if not Topic.objects.exists():
            for discipline in Discipline.objects.all()[:5]:
                conversations.create_topic(
                    by=by,
                    title=discipline.name,
                    discipline=discipline,
                    description=f"Conversations about {discipline.name.lower()}.",
                )
                made["topics"] += 1
            first = Topic.objects.order_by("pk").first()
            if first is not None:
                conversations.create_post(
                    topic=first,
                    by=by,
                    body="Welcome to the network. Say hello and tell us what you are working on.",
                )
        if not Resource.objects.exists():
            resources.share_resource(
                by=by,
                details={
                    "title": "The Service Standard",
                    "summary": "The 14 points that help teams build good public services.",
                    "url": "https://www.gov.uk/service-manual/service-standard",
                    "tags": "service standard, guidance",
                    "standard_points": [1, 2, 5],
                },
            )
            made["resources"] += 1
        if not Initiative.objects.exists():
            initiative = boards.create_initiative(
                by=by,
                title="Digital inclusion week",
                description="A week of drop-ins and events across the county.",
            )
            board = initiative.boards.first()
            assert board is not None
            first_list = board.lists.order_by("position").first()
            assert first_list is not None
            for title in ("Book venues", "Recruit volunteers", "Print posters"):
                boards.add_card(board=board, by=by, board_list=first_list, title=title)
            made["initiatives"] += 1
    return made
