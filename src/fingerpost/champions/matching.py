"""Ranking champions for a request, and proposing champions for many requests.

Pure Python over plain values (no database), so it is unit-tested directly
and fast at scale: skills, ways and free days are bit masks, and a proposal
ranks each distinct kind of request once. The weights are the setting
FINGERPOST_CHAMPIONS_MATCH_WEIGHTS. A champion is excluded (never ranked)
when their check has expired or is missing, they are paused, they are full,
they declined this request, or they cannot reach the resident (they serve
none of its area and cannot help by phone or video when the resident can
be helped that way)."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.text import get_text_list

from .models import Day, Skill, Way

SKILLS = list(Skill.values)
SKILL_BIT = {s: 1 << n for n, s in enumerate(SKILLS)}
SKILL_LABEL = {s: str(label).lower() for s, label in Skill.choices}
WAYS = list(Way.values)
WAY_BIT = {w: 1 << n for n, w in enumerate(WAYS)}
WAY_PHRASE = {
    Way.LIBRARY: "can help at a library or venue",
    Way.HOME: "can help at home",
    Way.PHONE: "can help by phone",
    Way.VIDEO: "can help by video",
}
REMOTE_WAYS = WAY_BIT[Way.PHONE] | WAY_BIT[Way.VIDEO]
DAYS = list(Day.values)
DAY_LABEL = dict(Day.choices)

# Which of a champion's skills cover each help-desk need.
NEED_SKILLS: dict[str, tuple[str, ...]] = {
    "getting_online": (Skill.DEVICES, Skill.PROBLEM_SOLVING),
    "using_a_device": (Skill.DEVICES,),
    "email": (Skill.COMMUNICATING,),
    "video_calls": (Skill.VIDEO_CALLS, Skill.COMMUNICATING),
    "online_forms": (Skill.BENEFITS_FORMS, Skill.GP_NHS_APPS, Skill.TRANSACTING),
    "shopping_banking": (Skill.TRANSACTING, Skill.BEING_SAFE),
    "staying_safe": (Skill.BEING_SAFE,),
    "finding_work": (Skill.HANDLING_INFORMATION, Skill.TRANSACTING),
    "other": (),
}
NEED_LABEL = {
    "getting_online": "getting online",
    "using_a_device": "using a device",
    "email": "email",
    "video_calls": "video calls",
    "online_forms": "online forms",
    "shopping_banking": "shopping and banking",
    "staying_safe": "staying safe online",
    "finding_work": "finding work",
    "other": "something else",
}
# The help desk's ways of being helped, as a champion's ways.
HELP_MODE_WAYS = {
    "library": Way.LIBRARY,
    "community_venue": Way.LIBRARY,
    "home": Way.HOME,
    "phone": Way.PHONE,
}

DEFAULT_WEIGHTS = {"need": 10, "area": 8, "language": 6, "way": 4, "day": 2, "load": 3}


def skill_mask(skills: Iterable[str]) -> int:
    mask = 0
    for s in skills:
        mask |= SKILL_BIT.get(s, 0)
    return mask


def way_mask(ways: Iterable[str]) -> int:
    mask = 0
    for w in ways:
        mask |= WAY_BIT.get(w, 0)
    return mask


def day_mask(slots_or_days: Iterable[str]) -> int:
    """Days as bits, from days ("mon") or availability slots ("mon_morning")."""
    mask = 0
    for value in slots_or_days:
        day = value.split("_", 1)[0]
        if day in DAYS:
            mask |= 1 << DAYS.index(day)
    return mask


def languages_of(text: str) -> frozenset[str]:
    """The languages named in free text, lower case; English goes without saying."""
    for separator in ("/", ";", " and ", "&"):
        text = text.replace(separator, ",")
    names = {part.strip().casefold() for part in text.split(",")}
    return frozenset(n for n in names if n and n != "english")


@dataclass(slots=True)
class Candidate:
    champion_id: int
    name: str
    skills: int
    languages: frozenset[str]
    areas: frozenset[int]
    ways: int
    days: int
    load: int
    limit: int
    paused: bool = False
    check_expires_on: date | None = None
    organisation_id: int = 0


@dataclass(slots=True)
class Wanted:
    """What a request asks of a champion."""

    reference: str
    needs: tuple[str, ...]
    area_id: int | None = None
    area_name: str = ""
    languages: frozenset[str] = frozenset()
    ways: int = 0
    days: int = 0
    declined_by: frozenset[int] = frozenset()
    # Queue order for proposals: higher priority first, then older.
    priority: int = 2

    @property
    def key(self) -> tuple[object, ...]:
        return (self.needs, self.area_id, self.languages, self.ways, self.days)


@dataclass(slots=True)
class Suggestion:
    candidate: Candidate
    score: int
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Exclusion:
    candidate: Candidate
    reasons: list[str]


@dataclass(slots=True)
class Ranking:
    suggestions: list[Suggestion]
    excluded: list[Exclusion]


def _need_masks(needs: Sequence[str]) -> list[tuple[str, int]]:
    return [(n, skill_mask(NEED_SKILLS.get(n, ()))) for n in needs]


def exclusion_reasons(
    wanted: Wanted, c: Candidate, *, today: date, load: int | None = None
) -> list[str]:
    reasons = []
    if c.check_expires_on is None:
        reasons.append("has no background check recorded")
    elif c.check_expires_on < today:
        reasons.append(f"background check expired on {c.check_expires_on:%-d %B %Y}")
    if c.paused:
        reasons.append("has paused")
    load = c.load if load is None else load
    if load >= c.limit:
        reasons.append(f"is full ({load} of {c.limit} requests)")
    if c.champion_id in wanted.declined_by:
        reasons.append("declined this request")
    if not _reachable(wanted, c):
        reasons.append(f"does not serve {wanted.area_name} and cannot help by phone or video")
    return reasons


def _reachable(wanted: Wanted, c: Candidate) -> bool:
    if wanted.area_id is None or wanted.area_id in c.areas:
        return True
    # Outside their areas a champion can still help remotely, if the
    # resident can be helped that way (or said nothing about how).
    remote = c.ways & REMOTE_WAYS
    return bool(remote and (not wanted.ways or remote & wanted.ways))


def static_score(
    wanted: Wanted, c: Candidate, need_masks: list[tuple[str, int]], w: dict[str, int]
) -> int:
    """Everything but the load: the same for every request of the same kind."""
    score = 0
    for _, mask in need_masks:
        if c.skills & mask:
            score += w["need"]
    if wanted.area_id is not None and wanted.area_id in c.areas:
        score += w["area"]
    if wanted.languages and wanted.languages & c.languages:
        score += w["language"]
    if wanted.ways & c.ways:
        score += w["way"]
    if wanted.days:
        score += w["day"] * (wanted.days & c.days).bit_count()
    return score


def reasons_for(wanted: Wanted, c: Candidate, *, load: int | None = None) -> list[str]:
    """Why a champion fits, in plain words, strongest first."""
    reasons: list[str] = []
    covered, missing = [], []
    for need, mask in _need_masks(wanted.needs):
        skills = [SKILL_LABEL[s] for s in NEED_SKILLS.get(need, ()) if c.skills & SKILL_BIT[s]]
        if skills:
            covered.append(f"{NEED_LABEL.get(need, need)} ({get_text_list(skills, 'and')})")
        elif mask:
            missing.append(NEED_LABEL.get(need, need))
    if covered:
        reasons.append("Skills match: " + "; ".join(covered))
    if missing:
        reasons.append("No listed skill for " + get_text_list(missing, "or"))
    if wanted.area_id is not None:
        if wanted.area_id in c.areas:
            reasons.append(f"Serves {wanted.area_name}")
        else:
            reasons.append(f"Outside {wanted.area_name}: would help by phone or video")
    shared = sorted(wanted.languages & c.languages)
    if shared:
        reasons.append("Speaks " + get_text_list([s.title() for s in shared], "and"))
    elif wanted.languages:
        reasons.append(
            "Does not speak " + get_text_list([s.title() for s in sorted(wanted.languages)], "or")
        )
    matching_ways = [WAY_PHRASE[Way(wy)] for wy in WAYS if wanted.ways & c.ways & WAY_BIT[wy]]
    if matching_ways:
        text = get_text_list(matching_ways, "and")
        reasons.append(text[0].upper() + text[1:])
    if wanted.days:
        free = [str(DAY_LABEL[d]) for n, d in enumerate(DAYS) if wanted.days & c.days & (1 << n)]
        reasons.append(
            f"Free on {get_text_list(free, 'and')}" if free else "Not free on the days given"
        )
    load = c.load if load is None else load
    reasons.append(f"Has {load} of {c.limit} requests")
    return reasons


def rank(
    wanted: Wanted,
    candidates: Iterable[Candidate],
    *,
    today: date,
    weights: dict[str, int] | None = None,
    limit: int | None = None,
) -> Ranking:
    """Champions for one request, best first, each with its reasons; and,
    apart, who is excluded and why. Reasons are worded only for the `limit`
    shown, so a long list costs little."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    masks = _need_masks(wanted.needs)
    scored: list[tuple[int, int, str, Candidate]] = []
    excluded: list[Exclusion] = []
    for c in candidates:
        why_not = exclusion_reasons(wanted, c, today=today)
        if why_not:
            excluded.append(Exclusion(c, why_not))
            continue
        score = static_score(wanted, c, masks, w) - w["load"] * c.load
        scored.append((-score, c.load, c.name, c))
    best = heapq.nsmallest(limit, scored, key=_order) if limit else sorted(scored, key=_order)
    suggestions = [Suggestion(c, -neg, reasons_for(wanted, c)) for neg, _, _, c in best]
    excluded.sort(key=lambda e: e.candidate.name)
    return Ranking(suggestions, excluded)


def _order(row: tuple[int, int, str, Candidate]) -> tuple[int, int, str, int]:
    return (row[0], row[1], row[2], row[3].champion_id)


@dataclass(slots=True)
class Proposal:
    wanted: Wanted
    candidate: Candidate
    score: int
    reasons: list[str]


def propose(
    requests: Sequence[Wanted],
    candidates: Sequence[Candidate],
    *,
    today: date,
    weights: dict[str, int] | None = None,
    with_reasons: bool = True,
) -> list[Proposal]:
    """A champion for as many waiting requests as possible, the most urgent
    first, never over anyone's limit. Each pick pays the load penalty for
    what it has been given so far in this proposal, so work spreads out.

    Requests of the same kind (needs, area, languages, ways, days) share one
    ranking of eligible champions by everything but load; a pick walks it
    from the top and stops as soon as no one further down could beat the best
    found (load only lowers a score)."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    load = [c.load for c in candidates]
    eligible = [
        n
        for n, c in enumerate(candidates)
        if not c.paused
        and c.check_expires_on is not None
        and c.check_expires_on >= today
        and c.load < c.limit
    ]
    by_area: dict[int, list[int]] = {}
    remote: list[int] = []
    for n in eligible:
        c = candidates[n]
        for area in c.areas:
            by_area.setdefault(area, []).append(n)
        if c.ways & REMOTE_WAYS:
            remote.append(n)
    rankings: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    proposals: list[Proposal] = []
    order = sorted(range(len(requests)), key=lambda i: -requests[i].priority)
    for i in order:
        wanted = requests[i]
        ranked = rankings.get(wanted.key)
        if ranked is None:
            ranked = _ranked_pool(wanted, candidates, eligible, by_area, remote, w)
            rankings[wanted.key] = ranked
        best_score, best = None, -1
        full = 0
        for static, n in ranked:
            if best_score is not None and static <= best_score:
                break
            if load[n] >= candidates[n].limit:
                full += 1
                continue
            if candidates[n].champion_id in wanted.declined_by:
                continue
            score = static - w["load"] * load[n]
            if best_score is None or score > best_score:
                best_score, best = score, n
        if full > 32:
            # Drop the full ones so later picks of this kind do not walk them again.
            rankings[wanted.key] = [(s, n) for s, n in ranked if load[n] < candidates[n].limit]
        if best < 0:
            continue
        c = candidates[best]
        reasons = reasons_for(wanted, c, load=load[best]) if with_reasons else []
        load[best] += 1
        proposals.append(Proposal(wanted, c, best_score or 0, reasons))
    return proposals


def _ranked_pool(
    wanted: Wanted,
    candidates: Sequence[Candidate],
    eligible: list[int],
    by_area: dict[int, list[int]],
    remote: list[int],
    w: dict[str, int],
) -> list[tuple[int, int]]:
    if wanted.area_id is None:
        pool: Iterable[int] = eligible
    else:
        local = by_area.get(wanted.area_id, [])
        reach_remote = not wanted.ways or wanted.ways & REMOTE_WAYS
        pool = set(local).union(remote) if reach_remote else local
    masks = _need_masks(wanted.needs)
    ranked = [
        (static_score(wanted, candidates[n], masks, w), n)
        for n in pool
        if _reachable(wanted, candidates[n])
    ]
    # Best first; among equals the one with the least work, then a stable order.
    ranked.sort(key=lambda row: (-row[0], candidates[row[1]].load, row[1]))
    return ranked
