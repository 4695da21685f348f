"""Welsh-ready: the resident-facing text is marked for translation, and
`makemessages` builds a Welsh catalogue from it."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SOURCE = Path(settings.PACKAGE_DIR)  # type: ignore[misc]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_builds_a_welsh_catalogue(tmp_path: Path, settings: object) -> None:
    assert ("cy", "Cymraeg") in settings.LANGUAGES  # type: ignore[attr-defined]
    # A copy of the source, so the catalogue is written there and not in the tree.
    copy = tmp_path / "fingerpost"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("build", "__pycache__", "cy"))
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["cy"], verbosity=0)
    finally:
        os.chdir(here)
    catalogue = (copy / "locale" / "cy" / "LC_MESSAGES" / "django.po").read_text()
    for text in ["Find digital help near you", "Check your digital skills", "Make a video call"]:
        assert text in catalogue, text
