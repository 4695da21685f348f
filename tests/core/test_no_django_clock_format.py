"""Times are shown in the GOV.UK style ("10am", "8:15pm"), never Django's "8:15 p.m."."""

import re
from pathlib import Path

import fingerpost

SRC = Path(fingerpost.__file__).resolve().parent
# A |date format with "a" or "A" (Django's "a.m."/"AM") after a 12-hour clock.
CLOCK_12H = re.compile(r'\|date:"[^"]*[gh]:i ?[aA][^"]*"')


def test_no_template_formats_a_time_with_djangos_am_pm() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in sorted(SRC.rglob("templates/**/*"))
        if path.suffix in {".html", ".txt"}
        for match in CLOCK_12H.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "use |govuk_datetime or |govuk_time instead: " + ", ".join(offenders)
