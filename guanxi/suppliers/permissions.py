"""The suppliers app's permission actions (declared in guanxi.suppliers.registry). Suppliers are scoped by the
"suppliers" area of the parties app: whoever reaches a supplier (owner, team, all) reaches its bank accounts
and its lifecycle."""


class Action:
    BANK_VIEW = "supplier.bank_view"  # see a supplier's bank accounts and the changes proposed to them
    BANK_PROPOSE = "supplier.bank_propose"  # propose a new account, new details or a closing
    LIFECYCLE = "supplier.lifecycle"  # qualify, approve, prefer, hold, block, phase out (widening: approved)
    DOCUMENTS = "supplier.documents"  # enter a supplier's qualification documents (资质文件) and renewals
    SETUP = (
        "supplier.setup"  # what each category requires (documents, questionnaire); questionnaire templates
    )
    REVIEW = "supplier.qualification_review"  # decide a supplier's qualification review (never one's own)
