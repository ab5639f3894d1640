"""What the activities app adds to core's registry (guanxi.core.registry): its actions, its area and what the
shipped roles get, the "My activities" menu item, and — on every record whose document type has the
"activities" feature (parties today) — a tab, an overview card, a "Schedule activity" button and timeline
events. Imported by ActivitiesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.activities import hooks, record_page
from guanxi.activities.contacts import register_contact_source
from guanxi.activities.permissions import AREA, Action
from guanxi.core import registry, roles
from guanxi.core.record_refs import register_record_reference
from guanxi.core.registry import (
    HeaderAction,
    NavItem,
    NavSection,
    OverviewCard,
    PermissionAction,
    RecordArea,
    RecordTab,
    TimelineProvider,
    for_feature,
)
from guanxi.core.roles import Scope

ON_RECORDS = for_feature("activities")

registry.register_actions(
    PermissionAction(
        Action.ACTIVITY_VIEW,
        _("View activities"),
        "activities",
        _("On records one may see, and in My activities as far as the role's scope reaches"),
    ),
    PermissionAction(
        Action.ACTIVITY_ADD,
        _("Add activities"),
        "activities",
        _("Schedule or log calls, meetings, e-mails, tasks and notes on records one may change"),
    ),
    PermissionAction(
        Action.ACTIVITY_CHANGE,
        _("Change activities"),
        "activities",
        _("Edit, complete, cancel and reopen activities one is assigned, or those of records one may change"),
    ),
)
registry.register_area(
    RecordArea(
        AREA,
        _("Activities"),
        40,
        _("Whose activities lists show: own = assigned to the user, team = to anyone in the user's teams"),
    )
)

registry.register_nav_section(NavSection("work", _("My work"), 5))
registry.register_nav_item(
    NavItem(
        "activities", _("My activities"), "activities:mine", "work", order=10, action=Action.ACTIVITY_VIEW
    )
)

registry.register_tab(
    RecordTab(
        ON_RECORDS,
        "activities",
        _("Activities"),
        "activities/tabs/record.html",
        25,
        context=record_page.tab_context,
        visible=record_page.may_view_activities,
    )
)
registry.register_overview_card(
    OverviewCard(
        ON_RECORDS,
        "next_activities",
        _("Next activities"),
        "activities/cards/next.html",
        5,
        context=record_page.card_context,
        visible=record_page.may_view_activities,
    )
)
registry.register_header_action(
    HeaderAction(
        ON_RECORDS,
        "schedule_activity",
        _("Schedule activity"),
        record_page.new_url,
        10,
        visible=record_page.may_add,
    )
)
registry.register_timeline_provider(
    TimelineProvider(ON_RECORDS, "activities", record_page.timeline_events, covers=("activities.activity",))
)


def _party_contacts(party):
    """A party's contacts: the people of an organization, or the person itself."""
    from guanxi.parties.models import Party

    if party.is_organization:
        return Party.objects.filter(employments__organization=party, archived_at__isnull=True)
    return Party.objects.filter(pk=party.pk)


register_contact_source("parties.party", _party_contacts)

# What the shipped roles may do (kept in step by `migrate`). Adding and changing also need the right to
# change the record (or, for changing, the activity's assignee within the role's edit scope).
_ALL = {Action.ACTIVITY_VIEW, Action.ACTIVITY_ADD, Action.ACTIVITY_CHANGE}
for role, actions, view, edit in (
    (roles.EXECUTIVE, {Action.ACTIVITY_VIEW}, Scope.ALL, Scope.NONE),
    (roles.SALES_MANAGER, _ALL, Scope.TEAM, Scope.TEAM),
    (roles.SALES_REP, _ALL, Scope.OWN, Scope.OWN),
    (roles.MARKETING, _ALL, Scope.OWN, Scope.OWN),
    (roles.SERVICE_AGENT, _ALL, Scope.OWN, Scope.OWN),
    (roles.PROCUREMENT_MANAGER, _ALL, Scope.TEAM, Scope.TEAM),
    (roles.BUYER, _ALL, Scope.OWN, Scope.OWN),
):
    registry.grant_shipped_role(
        role,
        actions=actions,
        view={AREA: view},
        edit={AREA: edit} if edit > Scope.NONE else {},
    )


# What activities tell people: the notifications block delivers (in-app, e-mail, messengers by preference).
registry.register_event_type(
    registry.EventType(
        "activity.assigned",
        _("An activity was assigned to you"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=20,
    )
)
registry.register_event_type(
    registry.EventType(
        "activity.due_soon",
        _("An activity of yours is due soon"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=21,
    )
)


@hooks.on_assigned
def _tell_the_assignee(activity, actor) -> None:
    from guanxi.core.services.notifications import notify

    subject = activity.subject
    notify(
        event="activity.assigned",
        recipients=[activity.assignee],
        title=lambda: _("%(subject)s was assigned to you") % {"subject": subject},
        url=activity.get_absolute_url(),
        actor=actor,
    )


@hooks.on_reminder
def _remind_the_assignee(activity) -> None:
    from guanxi.core.services.notifications import notify

    subject = activity.subject
    notify(
        event="activity.due_soon",
        recipients=[activity.assignee],
        title=lambda: _("%(subject)s is due soon") % {"subject": subject},
        url=activity.get_absolute_url(),
    )


# Activities name their record by type and id: a merge of two parties moves them (guanxi.core.record_refs).
register_record_reference("activities.Activity", type_field="record_type", id_field="record_id")
