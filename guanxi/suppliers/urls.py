from django.urls import path

from guanxi.suppliers.views import bank_accounts, documents, lifecycle

app_name = "suppliers"

urlpatterns = [
    path("<int:party_pk>/bank-accounts/propose/", bank_accounts.bank_change_new, name="bank_change_new"),
    path("bank-changes/<int:pk>/", bank_accounts.bank_change_detail, name="bank_change"),
    path("bank-changes/<int:pk>/withdraw/", bank_accounts.bank_change_withdraw, name="bank_change_withdraw"),
    path("<int:party_pk>/status/<str:action>/", lifecycle.status_change_new, name="status_change_new"),
    path("<int:party_pk>/documents/new/", documents.document_add_view, name="document_add"),
    path("status-changes/<int:pk>/", lifecycle.status_change_detail, name="status_change"),
    path(
        "status-changes/<int:pk>/withdraw/", lifecycle.status_change_withdraw, name="status_change_withdraw"
    ),
]
