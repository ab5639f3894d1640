"""The one NinjaAPI at /api/v1/; each app adds its Router here."""

from django.utils.translation import gettext_lazy as _

from guanxi import __version__
from guanxi.activities.api.routes import router as activities_router
from guanxi.catalog.api.routes import router as catalog_router
from guanxi.core.api import errors
from guanxi.core.api.approvals import router as approvals_router
from guanxi.core.api.attachments import router as attachments_router
from guanxi.core.api.auth import api_auth
from guanxi.core.api.operations import GuanxiAPI
from guanxi.core.api.parser import JsonParser
from guanxi.core.api.routes import router as core_router
from guanxi.core.api.saved_views import router as saved_views_router
from guanxi.crm.api.forecast_routes import router as forecast_router
from guanxi.crm.api.lead_routes import router as leads_router
from guanxi.crm.api.opportunity_line_routes import router as opportunity_lines_router
from guanxi.crm.api.order_routes import router as orders_router
from guanxi.crm.api.pool_routes import router as pools_router
from guanxi.crm.api.pricelist_routes import router as price_lists_router
from guanxi.crm.api.quote_routes import router as quotes_router
from guanxi.crm.api.receivable_routes import router as receivables_router
from guanxi.crm.api.routes import router as crm_router
from guanxi.parties.api.routes import router as parties_router
from guanxi.procurement.api.invoice_routes import router as supplier_invoices_router
from guanxi.procurement.api.receiving_routes import router as receiving_router
from guanxi.procurement.api.requisition_routes import router as requisitions_router
from guanxi.procurement.api.routes import router as procurement_router
from guanxi.procurement.api.sourcing_routes import router as sourcing_router
from guanxi.procurement.api.statement_routes import router as statements_router
from guanxi.suppliers.api.document_routes import router as supplier_documents_router
from guanxi.suppliers.api.lifecycle_routes import router as supplier_lifecycle_router
from guanxi.suppliers.api.qualification_routes import router as supplier_qualification_router
from guanxi.suppliers.api.questionnaire_routes import router as questionnaires_router
from guanxi.suppliers.api.role_request_routes import router as supplier_role_requests_router
from guanxi.suppliers.api.routes import router as suppliers_router

api = GuanxiAPI(
    title="Guanxi API",
    version=f"1 ({__version__})",
    description=str(
        _(
            "CRM + SRM. Authenticate with a personal access token (Authorization: Bearer gx_…) "
            "or the browser session. Errors are RFC 9457 problem+json."
        )
    ),
    auth=api_auth,
    parser=JsonParser(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", core_router)
api.add_router("/", attachments_router)
api.add_router("/", approvals_router)
api.add_router("/", saved_views_router)
api.add_router("/", parties_router)
api.add_router("/", catalog_router)
api.add_router("/", activities_router)
api.add_router("/", crm_router)
api.add_router("/", opportunity_lines_router)
api.add_router("/", leads_router)
api.add_router("/", forecast_router)
api.add_router("/", quotes_router)
api.add_router("/", orders_router)
api.add_router("/", price_lists_router)
api.add_router("/", pools_router)
api.add_router("/", receivables_router)
api.add_router("/", suppliers_router)
api.add_router("/", supplier_lifecycle_router)
api.add_router("/", supplier_documents_router)
api.add_router("/", supplier_qualification_router)
api.add_router("/", questionnaires_router)
api.add_router("/", supplier_role_requests_router)
api.add_router("/", procurement_router)
api.add_router("/", sourcing_router)
api.add_router("/", receiving_router)
api.add_router("/", supplier_invoices_router)
api.add_router("/", statements_router)
api.add_router("/", requisitions_router)
