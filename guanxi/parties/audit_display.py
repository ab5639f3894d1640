"""How the parties app's audit entries read on a history tab (registered with core at start-up).

The services record plain values; this says what they mean: which keys are lists (read as "added …;
removed …"), how an identifier reads ("Unified social credit code (China): 9135…", also for entries that
recorded it as "cn_uscc:9135…"), and what a note's or an address's entry is called.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, AuditTitle, register_audit_display
from guanxi.parties.choices import IdentifierScheme

# A USCC is Chinese by definition; the country is said for the schemes that exist in many countries.
_COUNTRY_IMPLIED = {IdentifierScheme.CN_USCC}


def identifier_text(item) -> str:
    """{"scheme": "vat", "country": "DE", "value": "DE…"} (or the older "vat:DE…") as a person reads it."""
    if isinstance(item, dict):
        scheme, country, value = item.get("scheme", ""), item.get("country", ""), item.get("value", "")
    elif isinstance(item, str) and item.partition(":")[0] in IdentifierScheme.values:
        scheme, _sep, value = item.partition(":")
        country = ""
    else:
        return str(item)
    label = str(IdentifierScheme(scheme).label) if scheme in IdentifierScheme.values else str(scheme)
    if country and scheme not in _COUNTRY_IMPLIED:
        label = _("%(scheme)s (%(country)s)") % {"scheme": label, "country": country}
    return _("%(scheme)s: %(value)s") % {"scheme": label, "value": value}


register_audit_display(
    "parties.party",
    fields={
        "identifiers": AuditField(gettext_lazy("Identifiers"), many=True, item=identifier_text),
        "phones": AuditField(gettext_lazy("Phones"), many=True),
        "emails": AuditField(gettext_lazy("Emails"), many=True),
        "tags": AuditField(gettext_lazy("Tags"), many=True),
        "contacts": AuditField(gettext_lazy("Contacts"), many=True),
        "organizations": AuditField(gettext_lazy("Organizations"), many=True),
        "organization": AuditField(gettext_lazy("Organization")),
        "job_title": AuditField(gettext_lazy("Job title")),
        "main_phone": AuditField(gettext_lazy("Main phone"), main_of="phones"),
        "main_email": AuditField(gettext_lazy("Main email"), main_of="emails"),
    },
)
register_audit_display(
    "parties.partynote",
    titles={"create": AuditTitle(gettext_lazy("Note added"), show_target=False)},
)
register_audit_display(
    "parties.address",
    fields={"address": AuditField(gettext_lazy("Address"))},
    titles={
        "create": AuditTitle(gettext_lazy("Address added")),
        "update": AuditTitle(gettext_lazy("Address changed")),
        "delete": AuditTitle(gettext_lazy("Address removed")),
    },
)
register_audit_display(
    "parties.tag",
    fields={"parties": AuditField(gettext_lazy("Parties carrying it"))},
)
