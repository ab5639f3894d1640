"""The purchasing app's permission actions (declared in guanxi.procurement.registry). Purchase orders are
scoped by the "purchasing" area on their buyer (owner) and team; supplier prices by the suppliers area."""


class Action:
    ORDER_VIEW = "purchase_order.view"  # purchase orders, as far as the purchasing scope reaches
    ORDER_CHANGE = "purchase_order.change"  # create, edit, submit, send, confirm, change, cancel, close
    PRICE_VIEW = "supplier_price.view"  # supplier price information (供应商价格)
    PRICE_CHANGE = "supplier_price.change"  # record a supplier's price (the earlier one is kept)
    RECEIPT_POST = "receipt.post"  # delivery notes (送货单) for a supplier, goods receipts, returns (退货)
    INVOICE_ENTER = (
        "supplier_invoice.enter"  # enter supplier invoices (matched at once), ask to release, cancel
    )
    RFQ_VIEW = "rfq.view"  # requests for quotation (询价单): lines, invitations, who answered; opened quotes
    RFQ_CHANGE = "rfq.change"  # create, invite, enter sealed quotes, open after the deadline, award, order
    RFQ_OPEN_EARLY = "rfq.open_early"  # open the sealed quotes before the deadline, with a reason (audited)
    REQUISITION_CREATE = "requisition.create"  # ask for products or services (请购), see one's own
    REQUISITION_PROCESS = (
        "requisition.process"  # see every requisition, turn approved ones into RFQs / orders
    )


AREA = "purchasing"
