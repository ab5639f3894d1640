"""The editable fields of an activity, listed once: the services clean and audit them, the form and the API
offer them (labels, lengths and choices come from the model)."""

# Set by the user when scheduling or editing (the record and the state are not: they change by operations).
EDITABLE = [
    "kind",
    "subject",
    "description",
    "due_at",
    "due_date",
    "all_day",
    "duration_minutes",
    "assignee",
    "participants",
    "contacts",
    "location",
    "priority",
    "remind_before",
]
MANY = ("participants", "contacts")  # lists of users / parties
# What the history records (the state and outcome change through complete / cancel / reopen).
AUDITED = [*EDITABLE, "status", "outcome"]
