from guanxi.crm.models.leads import DisqualifyReason, Lead, WebForm
from guanxi.crm.models.opportunities import Opportunity, OpportunityContact
from guanxi.crm.models.pipelines import LostReason, Pipeline, Stage

__all__ = [
    "DisqualifyReason",
    "Lead",
    "LostReason",
    "Opportunity",
    "OpportunityContact",
    "Pipeline",
    "Stage",
    "WebForm",
]
