"""How the sales app's audit entries read on a History tab."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from guanxi.core.audit_display import AuditField, register_audit_display
from guanxi.crm.choices import CustomerLevel

register_audit_display(
    "crm.opportunity",
    fields={
        "members": AuditField(gettext_lazy("Team members")),
        "contacts": AuditField(gettext_lazy("Contacts")),
    },
)


def _level(code: object) -> str:
    return str(dict(CustomerLevel.choices).get(str(code), code))


register_audit_display(
    "parties.party", fields={"customer_level": AuditField(gettext_lazy("Customer level"), item=_level)}
)


# A pool's rules per customer level (guanxi.crm.services.pools): kept as codes and numbers, read here.
_LEVEL_DAYS = {
    "no_activity_days": gettext_lazy("%(n)s days without a follow-up"),
    "no_opportunity_days": gettext_lazy("%(n)s days without an opportunity"),
    "not_won_days": gettext_lazy("%(n)s days without winning"),
}


def _level_rule(rule: object) -> str:
    """ "B · important (90 days without a follow-up, 365 days without winning)", "A · key account (Never
    returned)". Entries written before kept English text ("B: 90 / – / 365"): they show as they are."""
    if not isinstance(rule, dict):
        return str(rule)
    if rule.get("never"):
        parts = [_("Never returned")]
    else:
        parts = [str(text) % {"n": rule[key]} for key, text in _LEVEL_DAYS.items() if rule.get(key)]
    return _("%(label)s (%(qualifier)s)") % {
        "label": _level(rule.get("level")),
        "qualifier": pgettext("audit list", ", ").join(parts),
    }


register_audit_display(
    "crm.pool",
    fields={"level_rules": AuditField(gettext_lazy("Rules per customer level"), many=True, item=_level_rule)},
)
