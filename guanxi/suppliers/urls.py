from django.urls import path

from guanxi.suppliers.views import bank_accounts

app_name = "suppliers"

urlpatterns = [
    path("<int:party_pk>/bank-accounts/propose/", bank_accounts.bank_change_new, name="bank_change_new"),
    path("bank-changes/<int:pk>/", bank_accounts.bank_change_detail, name="bank_change"),
    path("bank-changes/<int:pk>/withdraw/", bank_accounts.bank_change_withdraw, name="bank_change_withdraw"),
]
