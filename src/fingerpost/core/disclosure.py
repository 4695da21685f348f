"""Publishing counts about people without identifying anyone.

The rule (also in docs/architecture.md):

1. Primary suppression: a count from 1 to 4 is not shown; it reads
   "fewer than 5" (`SMALLEST_SHOWN`). Zero is shown: it is about nobody.
2. Secondary suppression: where the parts of a row add up to a total that is
   shown, a single hidden part could be worked out by subtraction, so the
   smallest other non-zero part is hidden too.
3. A total below 5 is itself hidden, and so then is every part of it.

Charts and tables use the same `Figure`s, so they always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALLEST_SHOWN = 5
HIDDEN_TEXT = "fewer than 5"
SECONDARY_TEXT = "hidden"


@dataclass(frozen=True)
class Figure:
    label: str
    # None when hidden.
    value: int | None
    # Why it is hidden: "" (shown), HIDDEN_TEXT or SECONDARY_TEXT.
    hidden_as: str = ""

    @property
    def text(self) -> str:
        return self.hidden_as if self.value is None else f"{self.value:,}"


def _primary(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def suppress(count: int, label: str = "") -> Figure:
    """One count on its own (rule 1)."""
    if _primary(count):
        return Figure(label, None, HIDDEN_TEXT)
    return Figure(label, count)


def suppress_independent(counts: Sequence[tuple[str, int]]) -> list[Figure]:
    """Counts that do not add up to a shown total (such as needs, where one
    request can have several): each is judged alone."""
    return [suppress(count, label) for label, count in counts]


def suppress_parts(counts: Sequence[tuple[str, int]], *, total_shown: bool = True) -> list[Figure]:
    """The parts of a total (rules 1 to 3)."""
    total = sum(count for _, count in counts)
    if _primary(total):
        return [
            Figure(label, None, HIDDEN_TEXT if count else "") if count else Figure(label, 0)
            for label, count in counts
        ]
    figures = [suppress(count, label) for label, count in counts]
    hidden = [i for i, f in enumerate(figures) if f.value is None]
    if total_shown and len(hidden) == 1:
        candidates = [i for i, (_, count) in enumerate(counts) if i not in hidden and count > 0]
        if candidates:
            smallest = min(candidates, key=lambda i: counts[i][1])
            figures[smallest] = Figure(counts[smallest][0], None, SECONDARY_TEXT)
    return figures
