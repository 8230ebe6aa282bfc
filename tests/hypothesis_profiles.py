"""Hypothesis profiles for the property tests: 'ci' (the default), 'dev' and 'slow' (10,000 examples).

The environment variable DESPATCH_HYPOTHESIS picks the profile of the ordinary property tests, e.g.
``DESPATCH_HYPOTHESIS=dev pytest tests/test_properties.py``. The slow-marked tests always use 'slow'
(run them with ``pytest -m slow tests/test_properties.py``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

ENV = "DESPATCH_HYPOTHESIS"

# No deadline: a first example pays for imports and compiled patterns, and CI machines vary.
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          print_blob=True)
settings.register_profile("dev", max_examples=1_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("slow", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck),
                          print_blob=True)


def profile() -> settings:
    """The profile named by DESPATCH_HYPOTHESIS, 'ci' when it is not set."""
    return settings.get_profile(os.environ.get(ENV, "ci"))


def slow() -> settings:
    """The profile of the slow-marked runs: at least 10,000 examples."""
    return settings.get_profile("slow")
