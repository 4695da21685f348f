"""The ranking and the proposal, on plain values (no database)."""

from datetime import date, timedelta

from fingerpost.champions import matching
from fingerpost.champions.matching import Candidate, Wanted
from fingerpost.core.free_times import free_mask, slots_mask

TODAY = date(2026, 3, 2)
WEYMOUTH, DORCHESTER = 1, 2


def champion(n: int, **kw) -> Candidate:
    values = {
        "champion_id": n,
        "name": f"Champion {n}",
        "skills": matching.skill_mask(["communicating", "video_calls"]),
        "languages": frozenset(),
        "areas": frozenset({WEYMOUTH}),
        "ways": matching.way_mask(["library"]),
        "days": matching.day_mask(["mon_morning"]),
        "load": 0,
        "limit": 3,
        "check_expires_on": TODAY + timedelta(days=100),
    }
    values.update(kw)
    return Candidate(**values)


def request(**kw) -> Wanted:
    values = {
        "reference": "H1",
        "needs": ("video_calls",),
        "area_id": WEYMOUTH,
        "area_name": "Weymouth",
        "ways": matching.way_mask(["library"]),
    }
    values.update(kw)
    return Wanted(**values)


def test_the_best_fit_comes_first_with_its_reasons_in_plain_words() -> None:
    polish = champion(
        1, languages=frozenset({"polish"}), ways=matching.way_mask(["library", "home"])
    )
    other = champion(2, skills=matching.skill_mask(["transacting"]))
    wanted = request(
        languages=frozenset({"polish"}),
        ways=matching.way_mask(["home"]),
        days=matching.day_mask(["mon"]),
    )
    ranking = matching.rank(wanted, [other, polish], today=TODAY)
    assert [s.candidate.champion_id for s in ranking.suggestions] == [1, 2]
    reasons = ranking.suggestions[0].reasons
    assert "Skills match: video calls (video calls and communicating)" in reasons
    assert "Serves Weymouth" in reasons
    assert "Speaks Polish" in reasons
    assert "Can help at home" in reasons
    assert "Free on Monday" in reasons
    assert "Has 0 of 3 requests" in reasons
    assert "No listed skill for video calls" in ranking.suggestions[1].reasons


def test_expired_paused_full_declined_and_unreachable_champions_are_excluded_with_reasons() -> None:
    people = [
        champion(1, check_expires_on=TODAY - timedelta(days=1)),
        champion(2, check_expires_on=None),
        champion(3, paused=True),
        champion(4, load=3),
        champion(5),
        champion(6, areas=frozenset({DORCHESTER})),
        champion(7, areas=frozenset({DORCHESTER}), ways=matching.way_mask(["phone"])),
        champion(8),
    ]
    wanted = request(declined_by=frozenset({5}), ways=matching.way_mask(["library", "phone"]))
    ranking = matching.rank(wanted, people, today=TODAY)
    assert [s.candidate.champion_id for s in ranking.suggestions] == [8, 7]
    why = {e.candidate.champion_id: e.reasons for e in ranking.excluded}
    assert why[1] == ["background check expired on 1 March 2026"]
    assert why[2] == ["has no background check recorded"]
    assert why[3] == ["has paused"]
    assert why[4] == ["is full (3 of 3 requests)"]
    assert why[5] == ["declined this request"]
    assert why[6] == ["does not serve Weymouth and cannot help by phone or video"]
    assert "Outside Weymouth: would help by phone or video" in ranking.suggestions[1].reasons


def test_a_lighter_load_ranks_higher_among_equals_and_the_weights_are_settings() -> None:
    busy, free = champion(1, load=2), champion(2, load=0)
    assert (
        matching.rank(request(), [busy, free], today=TODAY).suggestions[0].candidate.champion_id
        == 2
    )
    # With no weight on load and a heavy one on area, the busy local one wins over a remote one.
    remote = champion(3, areas=frozenset(), ways=matching.way_mask(["phone"]))
    ranked = matching.rank(
        request(ways=0), [remote, busy], today=TODAY, weights={"load": 0, "area": 50}
    )
    assert ranked.suggestions[0].candidate.champion_id == 1


def test_the_proposal_never_puts_anyone_over_their_limit_and_spreads_the_work() -> None:
    people = [champion(n, limit=2, load=1 if n == 0 else 0) for n in range(5)]
    requests = [request(reference=f"H{n}") for n in range(20)]
    proposals = matching.propose(requests, people, today=TODAY)
    given: dict[int, int] = {}
    for p in proposals:
        given[p.candidate.champion_id] = given.get(p.candidate.champion_id, 0) + 1
    # 9 places were free (1 + 2 * 4), so 9 requests get a champion.
    assert len(proposals) == 9
    assert all(people[c].load + n <= people[c].limit for c, n in given.items())
    # Spread: those with nothing get one before anyone gets more.
    assert {p.candidate.champion_id for p in proposals[:4]} == {1, 2, 3, 4}
    assert len({p.wanted.reference for p in proposals}) == 9


def test_the_proposal_serves_urgent_requests_first_and_skips_who_declined() -> None:
    people = [champion(1, limit=1), champion(2, limit=1)]
    requests = [
        request(reference="LOW", priority=1),
        request(reference="URGENT", priority=4, declined_by=frozenset({1})),
        request(reference="NORMAL", priority=2),
    ]
    proposals = matching.propose(requests, people, today=TODAY)
    assert [(p.wanted.reference, p.candidate.champion_id) for p in proposals] == [
        ("URGENT", 2),
        ("NORMAL", 1),
    ]


def test_languages_are_read_from_free_text() -> None:
    assert matching.languages_of("English, Polish and Urdu") == frozenset({"polish", "urdu"})
    assert matching.languages_of("") == frozenset()


def test_each_pick_of_the_proposal_is_a_best_one_by_the_plain_scores() -> None:
    """The bit-sliced proposal against the plain score of every champion."""
    import random

    rng = random.Random(7)
    every_slot = [f"{d}_{p}" for d in matching.DAYS for p in ("morning", "afternoon", "evening")]
    skills, ways, slots = (
        matching.SKILLS,
        matching.WAYS,
        [f"{d}_morning" for d in matching.DAYS],
    )
    people = [
        champion(
            n,
            skills=matching.skill_mask(rng.sample(skills, rng.randint(1, 4))),
            areas=frozenset(rng.sample([WEYMOUTH, DORCHESTER, 3], rng.randint(1, 2))),
            ways=matching.way_mask(rng.sample(ways, rng.randint(1, 3))),
            days=matching.day_mask(rng.sample(slots, 3)),
            slots=slots_mask(rng.sample(every_slot, rng.randint(0, 6))),
            languages=frozenset(rng.sample(["polish", "welsh", ""], 1)) - {""},
            load=rng.randint(0, 2),
            limit=rng.randint(1, 4),
            paused=rng.random() < 0.1,
        )
        for n in range(40)
    ]
    needs = list(matching.NEED_SKILLS)
    requests = [
        request(
            reference=f"H{n}",
            needs=tuple(sorted(rng.sample(needs, rng.randint(1, 2)))),
            area_id=rng.choice([WEYMOUTH, DORCHESTER, 3, None]),
            ways=matching.way_mask(rng.sample(["library", "home", "phone"], rng.randint(0, 2))),
            languages=frozenset(rng.sample(["polish", ""], 1)) - {""},
            days=matching.day_mask(rng.sample(matching.DAYS, rng.randint(0, 2))),
            slots=free_mask(
                rng.sample(matching.DAYS, rng.randint(0, 3)),
                rng.sample(["morning", "afternoon", "evening"], rng.randint(0, 2)),
            ),
            priority=rng.randint(1, 4),
            declined_by=frozenset(rng.sample(range(40), 2)),
        )
        for n in range(60)
    ]
    proposals = matching.propose(requests, people, today=TODAY, with_reasons=False)
    load = {c.champion_id: c.load for c in people}
    w = matching.DEFAULT_WEIGHTS
    for p in proposals:
        wanted = p.wanted
        masks = matching._need_masks(wanted.needs)
        scores = [
            matching.static_score(wanted, c, masks, w) - w["load"] * load[c.champion_id]
            for c in people
            if not matching.exclusion_reasons(wanted, c, today=TODAY, load=load[c.champion_id])
        ]
        chosen = p.candidate
        assert not matching.exclusion_reasons(
            wanted, chosen, today=TODAY, load=load[chosen.champion_id]
        )
        assert p.score == max(scores)
        load[chosen.champion_id] += 1
    assert all(load[c.champion_id] <= max(c.limit, c.load) for c in people)


# ---------------------------------------------------------------- when the resident is free


def test_a_champion_free_when_the_resident_is_free_scores_for_it_in_plain_words() -> None:
    tuesday_afternoons = champion(1, slots=slots_mask(["tue_afternoon", "fri_morning"]))
    mornings_only = champion(2, slots=slots_mask(["tue_morning", "thu_morning"]))
    wanted = request(slots=free_mask(["tue", "thu"], ["afternoon", "evening"]))
    ranking = matching.rank(wanted, [mornings_only, tuesday_afternoons], today=TODAY)
    first, second = ranking.suggestions
    assert first.candidate.champion_id == 1
    assert first.score - second.score == matching.DEFAULT_WEIGHTS["free"]
    assert "Free on Tuesday afternoons, when the resident is free" in first.reasons
    assert "Not free at the times the resident gave" in second.reasons
    # Several slots in common are one reason (and one weight), in the week's order.
    both = champion(3, slots=slots_mask(["thu_evening", "tue_afternoon", "tue_evening"]))
    (only,) = matching.rank(wanted, [both], today=TODAY).suggestions
    assert (
        "Free on Tuesday afternoons and evenings and Thursday evenings, when the resident is free"
        in only.reasons
    )
    assert only.score == first.score


def test_days_alone_mean_any_time_that_day_and_a_whole_day_reads_as_one() -> None:
    wanted = request(slots=free_mask(["wed"], []))
    evening = champion(1, slots=slots_mask(["wed_evening"]))
    all_day = champion(2, slots=slots_mask(["wed_morning", "wed_afternoon", "wed_evening"]))
    reasons = {
        s.candidate.champion_id: s.reasons
        for s in matching.rank(wanted, [evening, all_day], today=TODAY).suggestions
    }
    assert "Free on Wednesday evenings, when the resident is free" in reasons[1]
    assert "Free on Wednesdays, when the resident is free" in reasons[2]
    parts_only = request(slots=free_mask([], ["evening"]))
    (s,) = matching.rank(parts_only, [evening], today=TODAY).suggestions
    assert "Free on Wednesday evenings, when the resident is free" in s.reasons


def test_no_times_given_is_no_reason_and_no_penalty() -> None:
    busy_week = champion(1, slots=slots_mask(["mon_morning", "tue_evening"]))
    never_said = champion(2, slots=0)
    ranking = matching.rank(request(), [busy_week, never_said], today=TODAY)
    assert [s.score for s in ranking.suggestions] == [ranking.suggestions[0].score] * 2
    for s in ranking.suggestions:
        assert not any("resident is free" in r or "times the resident" in r for r in s.reasons)
    # With the weight at nothing, being free changes nothing either.
    wanted = request(slots=free_mask(["mon"], ["morning"]))
    scores = [
        s.score
        for s in matching.rank(
            wanted, [busy_week, never_said], today=TODAY, weights={"free": 0}
        ).suggestions
    ]
    assert scores[0] == scores[1]


def test_the_proposal_gives_the_request_to_the_champion_free_when_the_resident_is() -> None:
    people = [
        champion(1, slots=slots_mask(["mon_morning"])),
        champion(2, slots=slots_mask(["sat_evening"])),
    ]
    proposals = matching.propose(
        [request(reference="H1", slots=free_mask(["sat"], ["evening"]))], people, today=TODAY
    )
    assert [(p.wanted.reference, p.candidate.champion_id) for p in proposals] == [("H1", 2)]
    assert "Free on Saturday evenings, when the resident is free" in proposals[0].reasons


def test_the_weight_for_free_times_is_a_setting_beside_the_others(settings) -> None:
    assert "free" in settings.FINGERPOST_CHAMPIONS_MATCH_WEIGHTS
    assert set(settings.FINGERPOST_CHAMPIONS_MATCH_WEIGHTS) == set(matching.DEFAULT_WEIGHTS)
