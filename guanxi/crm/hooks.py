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


def tell_instalment(instalment, overdue: bool) -> None:
    from guanxi.core.services.notifications import notify

    order = instalment.order
    if order.owner is None:
        return
    number, day, amount = (
        order.number,
        instalment.due_date.isoformat(),
        f"{order.currency_id} {instalment.amount - instalment.paid}",
    )

    def title() -> str:
        values = {"number": number, "amount": amount, "day": day}
        if overdue:
            return _("%(number)s: %(amount)s was due on %(day)s and is not collected") % values
        return _("%(number)s: %(amount)s is due on %(day)s") % values

    notify(
        event="instalment.overdue" if overdue else "instalment.due",
        recipients=[order.owner],
        title=title,
        url=order.get_absolute_url() + "?tab=receivables",
    )
