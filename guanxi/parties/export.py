"""CSV/XLSX export of parties (what the list shows, filtered)."""

import tablib
from django.utils.translation import gettext as _


def export_dataset(parties) -> tablib.Dataset:
    headers = [
        _("ID"),
        _("Kind"),
        _("Name"),
        _("Short name"),
        _("Legal name"),
        _("Customer status"),
        _("Supplier status"),
        _("Owner"),
        _("Tags"),
        _("Identifiers"),
        _("Phones"),
        _("Emails"),
        _("Country"),
        _("Province / state"),
        _("City"),
        _("Industry"),
        _("Archived"),
    ]
    data = tablib.Dataset(headers=headers)
    for p in parties:
        points = list(p.contact_points.all())
        data.append(
            _safe_row(
                p.pk,
                p.get_kind_display(),
                _safe(p.name),
                _safe(p.short_name),
                _safe(p.legal_name),
                p.get_customer_status_display() if p.is_customer else "",
                p.get_supplier_status_display() if p.is_supplier else "",
                str(p.owner) if p.owner else "",
                ", ".join(t.name for t in p.tags.all()),
                ", ".join(i.value for i in p.identifiers.all()),
                ", ".join(c.value for c in points if c.kind == "phone"),
                ", ".join(c.value for c in points if c.kind == "email"),
                p.country,
                p.province,
                p.city,
                p.get_industry_display() if p.industry else "",
                _("yes") if p.archived_at else "",
            )
        )
    return data


def _safe_row(*cells) -> list:
    """Every text cell neutralized: owner names, tags and places are typed by users too."""
    return [_safe(c) if isinstance(c, str) else c for c in cells]


def _safe(text: str) -> str:
    """Neutralize spreadsheet formulas (CSV injection): a cell may not start with = + - @."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
