"""Activities made through the services, as users make them."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from guanxi.activities.services.activities import activity_create

_seq = itertools.count(1)


def make_activity(actor, record, **data):
    defaults = {
        "kind": "call",
        "subject": f"Call {next(_seq)}",
        "due_at": timezone.now() + dt.timedelta(hours=2),
    }
    follow_up_of = data.pop("follow_up_of", None)
    return activity_create(actor=actor, record=record, data={**defaults, **data}, follow_up_of=follow_up_of)
