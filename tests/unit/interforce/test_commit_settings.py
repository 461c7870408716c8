"""The commit's settings reach the scheduler; its fake clock is for development only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from interforce.bootstrap import node_services
from interforce.node.deadlines import DeadlineScheduler, service_levels
from interforce.settings import Settings


def test_the_commit_settings_become_service_levels() -> None:
    levels = service_levels(Settings(commit_days=6, acceptance_valid_days=20))
    assert (levels.commit_days, levels.acceptance_valid_days) == (6, 20)


def test_the_defaults_give_three_days_to_commit_and_twenty_eight_of_validity() -> None:
    levels = service_levels(Settings())
    assert (levels.commit_days, levels.acceptance_valid_days) == (3, 28)


def test_a_fake_scheduler_clock_is_refused_outside_development() -> None:
    with pytest.raises(ValidationError, match="only with INTERFORCE_ENVIRONMENT=development"):
        Settings(environment="production", scheduler_clock_offset_days=40)


def test_the_scheduler_reads_the_clock_the_offset_ahead_in_development() -> None:
    settings = Settings(environment="development", scheduler_clock_offset_days=40)
    (scheduler,) = [s for s in node_services(settings) if isinstance(s, DeadlineScheduler)]
    assert scheduler.clock_offset == timedelta(days=40)
    (plain,) = [s for s in node_services(Settings()) if isinstance(s, DeadlineScheduler)]
    assert plain.clock_offset == timedelta(0)
