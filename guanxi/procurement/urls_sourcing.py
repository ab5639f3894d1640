from django.urls import path

from guanxi.procurement.views import requisitions, rfq_actions, rfq_quotes, rfqs

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

urlpatterns += [
    path("requisitions/", requisitions.requisition_list_view, name="requisitions"),
    path("requisitions/new/", requisitions.requisition_form, name="requisition_create"),
    path("requisitions/source/", requisitions.requisitions_source, name="requisitions_source"),
    path("requisitions/<int:pk>/", requisitions.requisition_detail, name="requisition"),
    path("requisitions/<int:pk>/edit/", requisitions.requisition_form, name="requisition_edit"),
    path("requisitions/<int:pk>/<str:action>/", requisitions.requisition_action, name="requisition_action"),
]
