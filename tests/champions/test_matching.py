"""The ranking and the proposal, on plain values (no database)."""

from datetime import date, timedelta

from fingerpost.champions import matching
from fingerpost.champions.matching import Candidate, Wanted

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
