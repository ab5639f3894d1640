from guanxi.crm.models.opportunities import Opportunity, OpportunityContact
from guanxi.crm.models.pipelines import LostReason, Pipeline, Stage

__all__ = ["LostReason", "Opportunity", "OpportunityContact", "Pipeline", "Stage"]
