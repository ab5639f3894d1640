from django.urls import path

from guanxi.suppliers.views import (
    bank_accounts,
    documents,
    lifecycle,
    qualification,
    qualification_setup,
    role_requests,
)

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
    path("<int:party_pk>/categories/", qualification.supplier_categories_edit, name="categories_edit"),
    path("<int:party_pk>/qualifications/new/", qualification.qualification_start, name="qualification_start"),
    path("qualifications/<int:pk>/", qualification.qualification_detail, name="qualification"),
    path("qualification-setup/", qualification_setup.qualification_setup, name="qualification_setup"),
    path("questionnaires/<int:pk>/", qualification_setup.questionnaire_detail, name="questionnaire"),
    path(
        "qualification-setup/categories/<int:category_pk>/",
        qualification_setup.category_requirement_edit,
        name="category_requirement",
    ),
    path("role-requests/", role_requests.role_requests, name="role_requests"),
    path("role-requests/<int:pk>/", role_requests.role_request_detail, name="role_request"),
]
