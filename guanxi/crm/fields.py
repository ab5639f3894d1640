"""The editable fields of an opportunity, listed once: the services clean and audit them, the form and the
API offer them (labels come from the model). The pipeline, stage and state change only by operations
(move, win, lose, reopen)."""

EDITABLE = [
    "name",
    "customer",
    "amount",
    "currency",
    "expected_close",
    "probability",  # None: back to the stage's
    "forecast_category",
    "next_step",
    "competitors",
    "description",
    "owner",
    "members",  # user ids: 协作人
    "contacts",  # [{"contact": party id, "role": "decision_maker"}, …]
]
MANY = ("members", "contacts")
SCALAR = [f for f in EDITABLE if f not in MANY]
AUDITED = [*SCALAR, "pipeline", "stage", "state", "lost_reason", "lost_note"]
