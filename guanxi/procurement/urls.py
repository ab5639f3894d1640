from django.urls import path

from guanxi.procurement import urls_invoices, urls_receiving, urls_sourcing
from guanxi.procurement.views import order_actions, order_form, orders, prices

app_name = "procurement"

urlpatterns = [
    path("orders/", orders.order_list_view, name="orders"),
    path("orders/new/", order_form.order_create_view, name="order_create"),
    path("orders/options/suppliers/", orders.supplier_options, name="supplier_options"),
    path("orders/options/contacts/", orders.contact_options, name="contact_options"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/edit/", order_form.order_edit, name="order_edit"),
    path("orders/<int:pk>/change/", order_form.order_change_view, name="order_change"),
    path("orders/<int:pk>/confirm/", order_actions.order_confirm_view, name="order_confirm"),
    path("orders/<int:pk>/<str:action>/", order_actions.order_action, name="order_action"),
    path("prices/", prices.price_list_view, name="prices"),
    path("prices/new/", prices.price_create_view, name="price_create"),
    path("prices/history/<int:supplier>/<int:product>/", prices.price_history_view, name="price_history"),
]

# Receiving (delivery notes, receipts, returns) and supplier invoices with reconciliation statements.
urlpatterns += urls_receiving.urlpatterns + urls_invoices.urlpatterns + urls_sourcing.urlpatterns
