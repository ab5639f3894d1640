from guanxi.procurement.models.invoices import SupplierInvoice, SupplierInvoiceLine
from guanxi.procurement.models.orders import PurchaseOrder, PurchaseOrderLine, PurchaseOrderRevision
from guanxi.procurement.models.prices import SupplierPrice, SupplierPriceBreak
from guanxi.procurement.models.receipts import (
    DeliveryNote,
    DeliveryNoteLine,
    Receipt,
    ReceiptLine,
    SupplierReturn,
    SupplierReturnLine,
)
from guanxi.procurement.models.requisitions import Requisition, RequisitionLine
from guanxi.procurement.models.settings import PurchasingSettings
from guanxi.procurement.models.sourcing import (
    QuoteScore,
    Rfq,
    RfqCriterion,
    RfqInvitation,
    RfqLine,
    SupplierQuote,
    SupplierQuoteLine,
)
from guanxi.procurement.models.statements import ReconciliationStatement, StatementLine

__all__ = [
    "DeliveryNote",
    "DeliveryNoteLine",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseOrderRevision",
    "PurchasingSettings",
    "QuoteScore",
    "Receipt",
    "Requisition",
    "RequisitionLine",
    "Rfq",
    "RfqCriterion",
    "RfqInvitation",
    "RfqLine",
    "SupplierQuote",
    "SupplierQuoteLine",
    "ReconciliationStatement",
    "StatementLine",
    "ReceiptLine",
    "SupplierInvoice",
    "SupplierInvoiceLine",
    "SupplierPrice",
    "SupplierPriceBreak",
    "SupplierReturn",
    "SupplierReturnLine",
]
