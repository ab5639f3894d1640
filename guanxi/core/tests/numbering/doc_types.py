"""Numbered document types that exist only in the tests, registered the way a later app registers its own
(from its AppConfig.ready()): no core code names them."""

from guanxi.core.numbering import register_numbered_document

WIDGET = "tests.widget"  # yearly: WG-2026-00042
ORDER = "tests.order"  # monthly: PO202611-0007
TICKET = "tests.ticket"  # never resets: T-42

register_numbered_document(WIDGET, label="Widget", default_pattern="WG-{YYYY}-{seq:05}")
register_numbered_document(ORDER, label="Order", default_pattern="PO{YYYY}{MM}-{seq:04}")
register_numbered_document(TICKET, label="Ticket", default_pattern="T-{seq}")
