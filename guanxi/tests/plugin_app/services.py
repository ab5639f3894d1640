from django.db import transaction

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.core.services.audit import audit_record
from guanxi.core.services.notifications import notify
from guanxi.tests.plugin_app.models import Widget

AREA = "widgets"


def widgets_visible(*, actor, mode="view"):
    if not grants_for(actor).can("widget.view"):
        raise PermissionDeniedError()
    q = scope_q(actor, area=AREA, mode=mode)
    return Widget.objects.all() if q is None else Widget.objects.filter(q)


@transaction.atomic
def widget_create(
    *, actor, name, customer=None, amount=0, owner=None, team=None, discount_percent=0, category="standard"
) -> Widget:
    if not grants_for(actor).can("widget.change"):
        raise PermissionDeniedError()
    widget = Widget.objects.create(
        name=name,
        customer=customer,
        amount=amount,
        owner=owner or actor,
        team=team,
        discount_percent=discount_percent,
        category=category,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=widget, changes={"name": [None, name]}, also=[customer]
    )
    notify(  # the owner learns about a widget someone else gave them (never about their own)
        event="widget.assigned",
        recipients=[widget.owner],
        subject_obj=widget,
        actor=actor,
        title=lambda: f"{actor} assigned you the widget {widget.name}",
    )
    return widget


@transaction.atomic
def widget_change_amount(*, actor, widget: Widget, amount) -> Widget:
    if not widgets_visible(actor=actor, mode="edit").filter(pk=widget.pk).exists():
        raise PermissionDeniedError()
    before = str(widget.amount)
    Widget.objects.filter(pk=widget.pk).update(amount=amount)
    widget.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=widget,
        changes={"amount": [before, str(widget.amount)]},
        also=[widget.customer],
    )
    return widget


@transaction.atomic
def widget_submit(*, actor, widget: Widget):
    """Submit a widget for approval: the approvals block does the rest (one call)."""
    from guanxi.core.services.approvals import approval_submit

    request = approval_submit(actor=actor, obj=widget)
    if request.status == "pending":
        Widget.objects.filter(pk=widget.pk).update(status="submitted")
    return request


def widget_set_status(widget: Widget, status: str) -> None:
    """What the app does on a decision (called by approvals inside the decision's transaction)."""
    Widget.objects.filter(pk=widget.pk).update(status=status)
