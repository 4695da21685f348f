import pytest


@pytest.fixture(autouse=True)
def _fresh_figures(settings: object) -> None:
    # Tests change the records between looks: work the figures out every time
    # (test_cache.py turns the cache back on).
    settings.FINGERPOST_INSIGHTS_CACHE_SECONDS = 0  # type: ignore[attr-defined]
