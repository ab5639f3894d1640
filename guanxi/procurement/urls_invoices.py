"""URLs of the purchasing app (part of guanxi.procurement.urls): supplier invoices, reconciliation statements
and the purchasing settings."""

from django.urls import URLPattern, path

from guanxi.procurement.views import invoices, settings, statements

urlpatterns: list[URLPattern] = [
    path("invoices/", invoices.invoice_list_view, name="invoices"),
    path("invoices/new/", invoices.invoice_create_view, name="invoice_create"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/<str:action>/", invoices.invoice_action, name="invoice_action"),
    path("statements/", statements.statement_list_view, name="statements"),
    path("statements/new/", statements.statement_create_view, name="statement_create"),
    path("statements/<int:pk>/", statements.statement_detail, name="statement"),
    path("statements/<int:pk>/<str:action>/", statements.statement_action, name="statement_action"),
    path("settings/", settings.purchasing_settings_view, name="settings"),
]
