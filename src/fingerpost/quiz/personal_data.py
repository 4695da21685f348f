"""Where the quiz keeps personal data, for subject access and erasure
(registered with core.registry.add_personal_data).

Players give no email or phone, only a nickname; someone may still have
typed their email address or phone number as one, so a nickname that is
exactly what staff search for is found, until its session is anonymised
(see services.retention)."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Lower

from fingerpost.accounts.models import User
from fingerpost.core.registry import PersonalRecord

from .models import Player
from .services import retention


def _players(keys: list[str]) -> Any:
    ids = [int(k) for k in keys if k.isdigit()]
    return Player.objects.filter(pk__in=ids, session__anonymised_at__isnull=True).select_related(
        "session"
    )


class QuizPlayerRecords:
    name = "quiz.players"
    label = "Service Standard quiz players"

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]:
        found = []
        for value, matched_on in ((email.strip(), "email"), (phone.strip(), "phone")):
            if not value:
                continue
            players = (
                Player.objects.annotate(lower=Lower("nickname"))
                .filter(lower=value.casefold()[:20], session__anonymised_at__isnull=True)
                .select_related("session")
            )
            for player in players:
                found.append(
                    PersonalRecord(
                        source=self.name,
                        key=str(player.pk),
                        title=player.nickname,
                        summary=(
                            f"Quiz player in {player.session.title} ({player.session.code}), "
                            f"joined {player.joined_at:%d %B %Y}"
                        ),
                        matched_on=matched_on,
                    )
                )
        return found

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]:
        return [
            {
                "nickname": player.nickname,
                "quiz": player.session.title,
                "joined": player.joined_at.isoformat(),
                "answers": [
                    {
                        "question": answer.position + 1,
                        "answer": answer.choice.text,
                        "right": answer.correct,
                        "points": answer.points,
                        "answered": answer.answered_at.isoformat(),
                    }
                    for answer in player.answers.select_related("choice").order_by("position")
                ],
            }
            for player in _players(keys)
        ]

    def erase(self, *, keys: list[str], by: User) -> int:
        """The nickname and device token go; the answers stay in the results,
        as an anonymous player's."""
        erased = 0
        for player in _players(keys):
            retention.anonymise_player(player)
            erased += 1
        return erased
