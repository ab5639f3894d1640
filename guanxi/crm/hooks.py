"""What the sales app tells people (through the notifications block): a customer back in the pool, a
warning before it goes back, a new lead from a web form."""

from __future__ import annotations

from django.utils.translation import gettext as _

from guanxi.crm.models import PoolReason


def tell_recycled(party, owner, reason: str) -> None:
    from guanxi.core.services.notifications import notify

    name, why = party.name, reason
    notify(
        event="pool.returned",
        recipients=[owner],
        title=lambda: (
            _("%(name)s went back to the pool: %(why)s") % {"name": name, "why": PoolReason(why).label}
        ),
        url=None,
    )


def tell_warned(party, owner, due, reason: str) -> None:
    from guanxi.core.services.notifications import notify

    name, why, day = party.name, reason, due.date().isoformat()
    notify(
        event="pool.warning",
        recipients=[owner],
        title=lambda: (
            _("%(name)s goes back to the pool by %(day)s unless you follow it up (%(why)s)")
            % {"name": name, "day": day, "why": PoolReason(why).label}
        ),
        url=party.get_absolute_url(),
    )
