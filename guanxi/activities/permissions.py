"""The activities app's permission actions and its record area (declared in guanxi.activities.registry)."""


class Action:
    ACTIVITY_VIEW = "activity.view"  # activities on records one may see, and one's own in My activities
    ACTIVITY_ADD = "activity.add"  # schedule or log an activity on a record one may change
    ACTIVITY_CHANGE = "activity.change"  # edit, complete, cancel, reopen


# Whose activities a role reaches in lists (own: assigned to the user; team: assigned to anyone in the user's
# teams; all). On a record, everyone who may see the record sees all its activities.
AREA = "activities"
