"""Retention of what players leave behind.

A player is a nickname someone typed and a cookie on their phone, and the
answers they gave. `FINGERPOST_QUIZ_RETENTION_DAYS` after a session ends
(or after it started, for a session never finished), every player's
nickname becomes "Player <number>" and their device token is replaced, so
nobody can be recognised or come back as them. Their answers stay,
attached to the anonymous player, so the results by question and by point
(and the leaderboard, by number) are unchanged.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import records
from ..models import LiveSession, Player


def anonymise_player(player: Player) -> None:
    player.nickname = f"Player {player.pk}"
    player.token = secrets.token_urlsafe(32)
    player.hidden = False
    player.save(update_fields=["nickname", "token", "hidden"])


def anonymise_session(*, session: LiveSession, by: Any, now: datetime | None = None) -> int:
    """Returns how many players were anonymised."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.anonymised_at is not None:
            return 0
        players = list(Player.objects.filter(session=locked).order_by("pk"))
        for player in players:
            anonymise_player(player)
        locked.anonymised_at = now
        locked.save(update_fields=["anonymised_at"])
        records.record(
            actor=by,
            action="quiz.players_anonymised",
            subject_type="quiz_session",
            reference=locked.code,
            detail=f"{len(players)} players",
        )
    return len(players)


def anonymise_ended_sessions(*, now: datetime | None = None) -> int:
    """Timed job: sessions past the retention period. Returns how many
    sessions were anonymised."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_QUIZ_RETENTION_DAYS)
    due = LiveSession.objects.filter(anonymised_at__isnull=True).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    done = 0
    for session in due.order_by("pk"):
        anonymise_session(session=session, by=None, now=now)
        done += 1
    return done
