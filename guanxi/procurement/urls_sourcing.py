from django.urls import path

from guanxi.procurement.views import rfq_actions, rfq_quotes, rfqs

urlpatterns = [
    path("rfqs/", rfqs.rfq_list_view, name="rfqs"),
    path("rfqs/new/", rfqs.rfq_create_view, name="rfq_create"),
    path("rfqs/<int:pk>/", rfqs.rfq_detail, name="rfq"),
    path("rfqs/<int:pk>/edit/", rfqs.rfq_edit, name="rfq_edit"),
    path("rfqs/<int:pk>/quote/<int:supplier>/", rfq_quotes.quote_entry, name="rfq_quote"),
    path("rfqs/<int:pk>/compare/", rfq_quotes.rfq_compare, name="rfq_compare"),
    path(
        "rfqs/<int:pk>/compare/<str:action>/",
        rfq_quotes.rfq_compare_action,
        name="rfq_compare_action",
    ),
    path("rfqs/<int:pk>/<str:action>/", rfq_actions.rfq_action, name="rfq_action"),
]
