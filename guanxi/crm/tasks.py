"""Background work of the sales app (django-tasks; `guanxi worker` runs it): the pools' daily recycling and
the warnings before it. Both are idempotent and safe with several workers (guanxi.crm.services.pools)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.core.periodic import cron
from guanxi.crm.services.pools import pools_recycle, pools_warn

log = logging.getLogger(__name__)


@cron(
    "30 1 * * *",
    name="crm.pools_recycle",
    title=_("Return customers to the pool by its rules, and warn owners before"),
)
@task()
def pools_recycle_task() -> int:
    warned = pools_warn()
    returned = pools_recycle()
    log.info("Pools: %s owners warned, %s customers returned", warned, returned)
    return returned


@cron("15 0 * * *", name="crm.quotes_expire", title=_("Mark sent quotes past their validity as expired"))
@task()
def quotes_expire_task() -> int:
    from guanxi.crm.services.quotes import quotes_expire

    return quotes_expire()


@task()
def quote_email_task(quote_id: int, to: str, actor_id: int) -> bool:
    """E-mail a sent quote as a PDF in the customer's language (the quote's letterhead, 大写 on Chinese ones)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation

    from guanxi.core.models import User
    from guanxi.core.services.printing import print_job, render_pdf

    actor = User.objects.filter(pk=actor_id).first()
    job = print_job(actor=actor, document="crm.quote", pk=quote_id, key="quote")
    pdf = render_pdf(job, user=actor)
    q = job.obj
    with translation.override(job.language):
        subject = translation.gettext("Quote %(number)s") % {"number": q.number}
        body = translation.gettext("Please find our quote %(number)s attached.") % {"number": q.number}
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[actor.email] if actor and actor.email else None,
    )
    message.attach(f"{q.number}.pdf", pdf, "application/pdf")
    message.send()
    log.info("Quote %s e-mailed to %s", q.number, to)
    return True


@cron(
    "0 8 * * *",
    name="crm.instalments_remind",
    title=_("Remind owners of instalments due soon and of overdue ones"),
)
@task()
def instalments_remind_task() -> int:
    from guanxi.crm.services.receivables import instalments_remind

    return instalments_remind()


@cron(
    "45 1 * * *",
    name="crm.customers_mark_inactive",
    title=_("Mark customers without orders for long as inactive"),
)
@task()
def customers_mark_inactive_task() -> int:
    from guanxi.crm.services.lifecycle import customers_mark_inactive

    return customers_mark_inactive()
