"""Hypothesis profiles for the property tests, and the template copy they render from.

- `ci` (the default): 100 examples per property, no deadline; the whole folder runs in about a
  minute and a half.
- `fuzz`: 10,000 examples per property; select it with `--hypothesis-profile=fuzz` (hypothesis'
  pytest plugin provides the option), e.g.
  `python -m pytest tests/fuzz -q --hypothesis-profile=fuzz -p no:cacheprovider`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from dockgen._template import TemplateSource

from .support import copy_template

# Hypothesis' example database and caches stay in this folder (not the working directory); the
# folder ignores itself in git. Failing examples found once are replayed first on the next run.
_STORAGE = Path(__file__).resolve().parent / ".hypothesis"
set_hypothesis_home_dir(str(_STORAGE))
_DATABASE = DirectoryBasedExampleDatabase(str(_STORAGE / "examples"))
_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=_SLOW_INPUTS, database=_DATABASE
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_INPUTS, database=_DATABASE
)


def pytest_configure(config: pytest.Config) -> None:
    # `--hypothesis-profile` wins; otherwise the fuzz folder runs with the CI profile.
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> TemplateSource:
    """copier.yml and template/ copied to a plain folder once: copier renders it without git."""
    return copy_template(tmp_path_factory.mktemp("template"))
