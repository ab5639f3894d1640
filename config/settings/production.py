"""Production settings: refuse to start with an insecure configuration, and say why."""

import sys

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .security import insecure_configuration_problems

_problems = insecure_configuration_problems(sys.modules[__name__])
if _problems:
    raise ImproperlyConfigured("Guanxi refuses to start:\n  - " + "\n  - ".join(_problems))
