"""The sales app's permission actions (declared in guanxi.crm.registry). Opportunities are scoped by the
"customers" area: whoever reaches a customer's records by owner and team reaches its opportunities the same
way, and the team members (协作人) of an opportunity see it too."""


class Action:
    OPPORTUNITY_VIEW = (
        "opportunity.view"  # opportunities, the board and the table, as far as the scope reaches
    )
    OPPORTUNITY_CHANGE = "opportunity.change"  # create, edit, move, win, lose and reopen
    OPPORTUNITY_EXPORT = "opportunity.export"
    PIPELINE_MANAGE = (
        "pipeline.manage"  # pipelines, stages, lost and disqualify reasons, web forms (Settings)
    )
    LEAD_VIEW = "lead.view"  # leads, as far as the customers scope reaches
    LEAD_CHANGE = "lead.change"  # create, edit, qualify, disqualify, convert
    QUOTE_VIEW = "quote.view"  # quotes and sales orders, as far as the customers scope reaches
    QUOTE_CHANGE = "quote.change"  # create, edit, submit, send, revise, accept and reject quotes
    POOL_CLAIM = "pool.claim"  # claim customers from the pools of one's teams, release one's own into them
    POOL_ASSIGN = "pool.assign"  # assign pool customers to the reps one's scope reaches; set up pools
    PRICELIST_MANAGE = "pricelist.manage"  # price lists (价目表): create, edit, archive (Settings)


AREA = "customers"
