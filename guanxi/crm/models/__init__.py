from guanxi.crm.models.accounts import CustomerAccount
from guanxi.crm.models.deliveries import OrderDelivery, OrderDeliveryLine
from guanxi.crm.models.leads import DisqualifyReason, Lead, WebForm
from guanxi.crm.models.lifecycle import SalesSettings
from guanxi.crm.models.opportunities import Opportunity, OpportunityContact, SalesTarget
from guanxi.crm.models.opportunity_lines import OpportunityLine
from guanxi.crm.models.pipelines import LostReason, Pipeline, Stage
from guanxi.crm.models.pools import Pool, PoolClaim, PoolEntry, PoolLevelRule, PoolReason, PoolWarning
from guanxi.crm.models.pricelists import CustomerPriceList, PriceList, PriceListItem
from guanxi.crm.models.quotes import Quote, QuoteLine, SalesOrder, SalesOrderLine
from guanxi.crm.models.receivables import Collection, CollectionAllocation, FapiaoRequest, Instalment

__all__ = [
    "OpportunityLine",
    "OrderDelivery",
    "OrderDeliveryLine",
    "Collection",
    "CollectionAllocation",
    "CustomerAccount",
    "CustomerPriceList",
    "FapiaoRequest",
    "Instalment",
    "DisqualifyReason",
    "Lead",
    "LostReason",
    "Opportunity",
    "OpportunityContact",
    "Pipeline",
    "Pool",
    "PoolClaim",
    "PoolEntry",
    "PoolLevelRule",
    "PoolReason",
    "PoolWarning",
    "PriceList",
    "PriceListItem",
    "Quote",
    "QuoteLine",
    "SalesOrder",
    "SalesOrderLine",
    "SalesSettings",
    "SalesTarget",
    "Stage",
    "WebForm",
]
