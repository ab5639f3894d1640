"""Fixtures shared by core's tests: periodic jobs that exist only in the tests (see jobs_support)."""

from guanxi.core.tests.jobs_support import failing_job, tick_job  # noqa: F401  (fixtures)
