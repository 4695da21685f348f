"""What a finished skills check says: what the person can already do, what
to learn next, and the help desk needs that cover their gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from fingerpost.helpdesk.models import Need

from .framework import AREAS, Answer, SkillArea, Task

# Suggestions shown as "what to learn next": a few, so it is not overwhelming.
NEXT_STEPS_SHOWN = 5


@dataclass
class AreaResult:
    area: SkillArea
    can_do: list[Task] = field(default_factory=list)
    with_help: list[Task] = field(default_factory=list)
    not_yet: list[Task] = field(default_factory=list)

    @property
    def gaps(self) -> list[Task]:
        return self.with_help + self.not_yet


@dataclass
class Summary:
    areas: list[AreaResult]

    @property
    def can_do(self) -> list[Task]:
        return [task for result in self.areas for task in result.can_do]

    @property
    def gaps(self) -> list[Task]:
        # Things not tried yet come before things done with help: they are the first steps.
        return [task for r in self.areas for task in r.not_yet] + [
            task for r in self.areas for task in r.with_help
        ]

    @property
    def next_steps(self) -> list[Task]:
        return self.gaps[:NEXT_STEPS_SHOWN]

    @property
    def needs(self) -> list[str]:
        """The help desk needs that cover the gaps, in the order of Need."""
        wanted = {task.need for task in self.gaps}
        return [need for need in Need.values if need in wanted]

    def gaps_by_area(self) -> dict[str, int]:
        return {result.area.key: len(result.gaps) for result in self.areas}

    def request_text(self) -> str:
        """What they would like to be able to do, for the help request."""
        steps = "; ".join(str(task.text).lower() for task in self.gaps[:8])
        return _("From my skills check, I would like to learn to: %(steps)s.") % {"steps": steps}


def summarise(answers: dict[str, dict[str, Any]]) -> Summary:
    """The summary of a complete set of answers ({area key: {task key: answer}})."""
    results = []
    for skill_area in AREAS:
        given = answers.get(skill_area.key, {})
        result = AreaResult(skill_area)
        for task in skill_area.tasks:
            answer = given.get(task.key)
            if answer == Answer.YES:
                result.can_do.append(task)
            elif answer == Answer.WITH_HELP:
                result.with_help.append(task)
            else:
                result.not_yet.append(task)
        results.append(result)
    return Summary(results)
