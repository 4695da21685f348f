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

from fingerpost.core import free_times

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

# "free": the champion is free at one of the times the resident gave (once,
# however many); "day": each day a coordinator ticked on the suggestions page.
DEFAULT_WEIGHTS = {
    "need": 10,
    "area": 8,
    "language": 6,
    "way": 4,
    "free": 5,
    "day": 2,
    "load": 3,
}
SLOTS = len(free_times.DAYS) * len(free_times.PARTS)


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
    # Free slots (`core.free_times`: bit day * 3 + part of the day).
    slots: int = 0


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
    # When the resident is usually free, as slots (0: they did not say).
    slots: int = 0
    # Queue order for proposals: higher priority first, then older.
    priority: int = 2

    @property
    def key(self) -> tuple[object, ...]:
        return (self.needs, self.area_id, self.languages, self.ways, self.days, self.slots)


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
    # Those excluded, by name: all of them, or the first `excluded_limit`.
    excluded: list[Exclusion]
    # How many are excluded in all.
    excluded_count: int = 0


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


def remote_ways_for(wanted: Wanted) -> int:
    """The ways a champion outside the request's area could still help:
    by phone or video, if the resident can be helped that way or said
    nothing about how."""
    return REMOTE_WAYS & wanted.ways if wanted.ways else REMOTE_WAYS


def _reachable(wanted: Wanted, c: Candidate) -> bool:
    if wanted.area_id is None or wanted.area_id in c.areas:
        return True
    # Outside their areas a champion can still help remotely, if the
    # resident can be helped that way (or said nothing about how).
    return bool(c.ways & remote_ways_for(wanted))


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
    if wanted.slots & c.slots:
        score += w["free"]
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
    if wanted.slots:
        both = wanted.slots & c.slots
        reasons.append(
            f"Free on {free_times.slots_phrase(both)}, when the resident is free"
            if both
            else "Not free at the times the resident gave"
        )
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
    excluded_limit: int | None = None,
    also_excluded: int = 0,
) -> Ranking:
    """Champions for one request, best first, each with its reasons; and,
    apart, who is excluded and why (the first `excluded_limit` by name).
    Reasons are worded only for the `limit` shown, so a long list costs
    little. `also_excluded` counts champions excluded before ranking (not
    among `candidates`: see `queries.ranking_for`)."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    masks = _need_masks(wanted.needs)
    excluded: list[Exclusion] = []
    area_id, declined = wanted.area_id, wanted.declined_by

    # Most of those excluded, in a town's request, are champions elsewhere
    # who cannot help remotely: their one reason is worded once, in one list
    # they share (read, never changed), so thousands cost few allocations.
    unreachable = [f"does not serve {wanted.area_name} and cannot help by phone or video"]

    def scored() -> Iterable[tuple[int, int, str, Candidate]]:
        # Yielded one at a time, so only the `limit` best are ever kept: a
        # list of every champion's row would wake the garbage collector.
        for c in candidates:
            # The usual case is tested inline; the words only for those excluded.
            expires = c.check_expires_on
            available = not (
                expires is None
                or expires < today
                or c.paused
                or c.load >= c.limit
                or c.champion_id in declined
            )
            if not (area_id is None or area_id in c.areas or _reachable(wanted, c)):
                excluded.append(
                    Exclusion(c, unreachable)
                    if available
                    else Exclusion(c, exclusion_reasons(wanted, c, today=today))
                )
                continue
            if not available:
                excluded.append(Exclusion(c, exclusion_reasons(wanted, c, today=today)))
                continue
            score = static_score(wanted, c, masks, w) - w["load"] * c.load
            yield (-score, c.load, c.name, c)

    best = heapq.nsmallest(limit, scored(), key=_order) if limit else sorted(scored(), key=_order)
    suggestions = [Suggestion(c, -neg, reasons_for(wanted, c)) for neg, _, _, c in best]
    excluded.sort(key=lambda e: (e.candidate.name, e.candidate.champion_id))
    count = len(excluded) + also_excluded
    if excluded_limit is not None:
        del excluded[excluded_limit:]
    return Ranking(suggestions, excluded, count)


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
    first (then in the order given, oldest first), never over anyone's limit.
    Each pick pays the load penalty for what it has been given so far in this
    proposal, so work spreads out; among equals the first champion wins.

    Every request is scored against every champion at once: each fact (covers
    this need, serves this area, is free on Monday...) is a set of champions
    held as the bits of one integer, and the scores are added up bit-sliced
    (one integer per binary digit of the score), so a pick costs a few dozen
    integer operations, not one per champion. The proposal stops when nobody
    has room left."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    load = [c.load for c in candidates]
    limit = [c.limit for c in candidates]
    room_bits, room = 0, 0
    for n, c in enumerate(candidates):
        if (
            not c.paused
            and c.check_expires_on is not None
            and c.check_expires_on >= today
            and c.load < c.limit
        ):
            room_bits |= 1 << n
            room += c.limit - c.load
    skill_bits = [0] * len(SKILLS)
    way_bits = [0] * len(WAYS)
    day_bits = [0] * len(DAYS)
    slot_bits = [0] * SLOTS
    area_bits: dict[int, int] = {}
    language_bits: dict[str, int] = {}
    index = {c.champion_id: n for n, c in enumerate(candidates)}
    for n, c in enumerate(candidates):
        bit = 1 << n
        for k in range(len(SKILLS)):
            if c.skills >> k & 1:
                skill_bits[k] |= bit
        for k in range(len(WAYS)):
            if c.ways >> k & 1:
                way_bits[k] |= bit
        for k in range(len(DAYS)):
            if c.days >> k & 1:
                day_bits[k] |= bit
        slots = c.slots
        while slots:
            k = (slots & -slots).bit_length() - 1
            slot_bits[k] |= bit
            slots &= slots - 1
        for area in c.areas:
            area_bits[area] = area_bits.get(area, 0) | bit
        for language in c.languages:
            language_bits[language] = language_bits.get(language, 0) | bit
    remote_by_way = {WAY_BIT[way]: way_bits[WAYS.index(way)] for way in (Way.PHONE, Way.VIDEO)}
    any_remote = remote_by_way[WAY_BIT[Way.PHONE]] | remote_by_way[WAY_BIT[Way.VIDEO]]
    # The load enters as "slack" (top limit less load, never negative), its
    # binary digits kept as sets of champions too and changed as picks land.
    top = max(limit, default=0)
    slack_planes = [0] * max(1, top.bit_length())
    for n in range(len(candidates)):
        slack = max(0, top - load[n])
        for j in range(len(slack_planes)):
            if slack >> j & 1:
                slack_planes[j] |= 1 << n
    need_cover: dict[str, int] = {}
    for need, skills in NEED_SKILLS.items():
        cover = 0
        for skill in skills:
            cover |= skill_bits[SKILLS.index(skill)]
        need_cover[need] = cover

    proposals: list[Proposal] = []
    order = sorted(range(len(requests)), key=lambda i: -requests[i].priority)
    for i in order:
        if room <= 0:
            break
        wanted = requests[i]
        if wanted.area_id is None:
            pool = room_bits
        else:
            pool = area_bits.get(wanted.area_id, 0)
            if not wanted.ways:
                pool |= any_remote
            else:
                for way_bit, helpers in remote_by_way.items():
                    if wanted.ways & way_bit:
                        pool |= helpers
            pool &= room_bits
        for champion_id in wanted.declined_by:
            if champion_id in index:
                pool &= ~(1 << index[champion_id])
        if not pool:
            continue
        planes: list[int] = []
        terms: list[tuple[int, int]] = [
            (need_cover.get(need, 0), w["need"]) for need in wanted.needs
        ]
        if wanted.area_id is not None:
            terms.append((area_bits.get(wanted.area_id, 0), w["area"]))
        if wanted.languages:
            speakers = 0
            for language in wanted.languages:
                speakers |= language_bits.get(language, 0)
            terms.append((speakers, w["language"]))
        if wanted.ways:
            helpers = 0
            for k in range(len(WAYS)):
                if wanted.ways >> k & 1:
                    helpers |= way_bits[k]
            terms.append((helpers, w["way"]))
        if wanted.slots:
            free = 0
            for k in range(SLOTS):
                if wanted.slots >> k & 1:
                    free |= slot_bits[k]
            terms.append((free, w["free"]))
        for k in range(len(DAYS)):
            if wanted.days >> k & 1:
                terms.append((day_bits[k], w["day"]))
        for j, plane in enumerate(slack_planes):
            terms.append((plane, w["load"] << j))
        for members, weight in terms:
            members &= pool
            digit = 0
            while weight and members:
                if weight & 1:
                    carry, j = members, digit
                    while carry:
                        while j >= len(planes):
                            planes.append(0)
                        here = planes[j]
                        planes[j] = here ^ carry
                        carry &= here
                        j += 1
                weight >>= 1
                digit += 1
        best_set = pool
        for plane in reversed(planes):
            narrowed = best_set & plane
            if narrowed:
                best_set = narrowed
        best = (best_set & -best_set).bit_length() - 1
        total = sum(1 << j for j, plane in enumerate(planes) if plane >> best & 1)
        score = total - w["load"] * top
        c = candidates[best]
        reasons = reasons_for(wanted, c, load=load[best]) if with_reasons else []
        before = max(0, top - load[best])
        load[best] += 1
        after = max(0, top - load[best])
        for j in range(len(slack_planes)):
            if (before ^ after) >> j & 1:
                slack_planes[j] ^= 1 << best
        if load[best] >= limit[best]:
            room_bits &= ~(1 << best)
        room -= 1
        proposals.append(Proposal(wanted, c, score, reasons))
    return proposals
