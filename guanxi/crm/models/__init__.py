from guanxi.crm.models.leads import DisqualifyReason, Lead, WebForm
from guanxi.crm.models.opportunities import Opportunity, OpportunityContact, SalesTarget
from guanxi.crm.models.pipelines import LostReason, Pipeline, Stage

__all__ = [
    "DisqualifyReason",
    "Lead",
    "LostReason",
    "Opportunity",
    "OpportunityContact",
    "Pipeline",
    "SalesTarget",
    "Stage",
    "WebForm",
]
