"""Developer settings: DEBUG on, everything else from the environment."""

from .base import *  # noqa: F403

DEBUG = True
