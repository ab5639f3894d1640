"""URLs of the purchasing app (part of guanxi.procurement.urls): receiving — the hub with its scan box, delivery
notes (送货单), goods receipts (收货) and returns to suppliers (退货)."""

from django.urls import URLPattern, path

from guanxi.procurement.views import receiving, receiving_notes, receiving_receive, receiving_returns

urlpatterns: list[URLPattern] = [
    path("receiving/", receiving.receiving_hub, name="receiving"),
    path("receiving/scan/", receiving.receiving_scan, name="receiving_scan"),
    path("receiving/notes/", receiving.note_list_view, name="delivery_notes"),
    path("receiving/notes/new/", receiving_notes.note_create_view, name="delivery_note_create"),
    path("receiving/notes/<int:pk>/", receiving_notes.note_detail, name="delivery_note"),
    path("receiving/notes/<int:pk>/cancel/", receiving_notes.note_cancel_view, name="delivery_note_cancel"),
    path(
        "receiving/notes/<int:pk>/receive/", receiving_receive.note_receive_view, name="delivery_note_receive"
    ),
    path("receiving/orders/<int:pk>/receive/", receiving_receive.order_receive_view, name="order_receive"),
    path("receiving/orders/<int:pk>/return/", receiving_returns.order_return_view, name="order_return"),
    path("receiving/receipts/", receiving.receipt_list_view, name="receipts"),
    path("receiving/receipts/<int:pk>/", receiving_receive.receipt_detail, name="receipt"),
    path("receiving/returns/", receiving.return_list_view, name="returns"),
    path("receiving/returns/<int:pk>/", receiving_returns.return_detail, name="return"),
]
