"""Demo exchange rates (`guanxi demo`): a month of daily rates against the renminbi, entered through the
service like an administrator would (so they have a history). Working days only, as banks publish them,
so a weekend date shows the "latest earlier rate" rule at work."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from guanxi.core.models import ExchangeRate
from guanxi.core.services.exchange_rates import exchange_rate_create

# base currency, its rate in CNY around which the demo moves, places
DEMO_PAIRS = [("USD", "7.1200", 4), ("EUR", "7.7000", 4), ("HKD", "0.9120", 4), ("JPY", "0.047500", 6)]


def exchange_rates_demo(*, actor, today: dt.date | None = None, days: int = 30) -> int:
    """Add the demo rates unless there are rates already; returns how many were added."""
    if ExchangeRate.objects.exists():
        return 0
    today = today or dt.date.today()
    added = 0
    for offset in range(days, -1, -1):
        day = today - dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for i, (base, middle, places) in enumerate(DEMO_PAIRS):
            wave = Decimal(str(round(math.sin((day.toordinal() + i * 7) / 5) * 0.004, 6)))
            rate = (Decimal(middle) * (1 + wave)).quantize(Decimal(1).scaleb(-places))
            exchange_rate_create(actor=actor, date=day, base=base, quote="CNY", rate=rate)
            added += 1
    return added
