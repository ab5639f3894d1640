"""Background work of the purchasing app (django-tasks; `guanxi worker` runs it)."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def order_email_task(order_id: int, to: str, actor_id: int) -> bool:
    """E-mail a sent purchase order as a PDF in the supplier's language (our letterhead, 大写 on Chinese ones)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation

    from guanxi.core.models import User
    from guanxi.core.services.printing import print_job, render_pdf

    actor = User.objects.filter(pk=actor_id).first()
    job = print_job(actor=actor, document="procurement.purchaseorder", pk=order_id, key="purchase_order")
    pdf = render_pdf(job, user=actor)
    o = job.obj
    with translation.override(job.language):
        subject = translation.gettext("Purchase order %(number)s") % {"number": o.number}
        body = translation.gettext(
            "Please find our purchase order %(number)s attached. Kindly confirm the delivery date of each line."
        ) % {"number": o.number}
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[actor.email] if actor and actor.email else None,
    )
    message.attach(f"{o.number}.pdf", pdf, "application/pdf")
    message.send()
    log.info("Purchase order %s e-mailed to %s", o.number, to)
    return True
