"""Activities on the party's 360° page, through the registry: a tab, an overview card, a header button and
the timeline (each activity once, not also as its audit entries; those stay on History)."""

import pytest

from guanxi.activities.services.activities import activity_complete
from guanxi.activities.tests.factories import make_activity
from guanxi.core import registry

pytestmark = pytest.mark.django_db


def test_the_party_page_shows_activities(client, world):
    a = make_activity(world.rep, world.huawei, subject="回访张伟")
    client.force_login(world.rep)
    overview = client.get(f"/parties/{world.huawei.pk}/").content.decode()
    assert "Next activities" in overview and "回访张伟" in overview
    assert 'data-action="schedule_activity"' in overview
    tab = client.get(f"/parties/{world.huawei.pk}/?tab=activities").content.decode()
    assert "回访张伟" in tab and "Log a call or meeting" in tab
    activity_complete(actor=world.rep, activity=a, outcome="已确认需求")
    timeline = client.get(f"/parties/{world.huawei.pk}/?tab=timeline").content.decode()
    assert "回访张伟" in timeline and "已确认需求" in timeline and "Activity changed" not in timeline
    history = client.get(f"/parties/{world.huawei.pk}/?tab=history").content.decode()
    assert "Activity added" in history and "Activity changed" in history


def test_who_gets_the_button_and_the_tab(client, world, make_user):
    client.force_login(world.marketing)  # sees the party, may not change it: the tab, no button
    html = client.get(f"/parties/{world.huawei.pk}/").content.decode()
    assert "?tab=activities" in html and "schedule_activity" not in html
    from guanxi.core.models import Role

    role = Role.objects.get(code="marketing")
    role.actions = [a for a in role.actions if not a.startswith("activity.")]
    role.save()
    client.force_login(world.marketing.__class__.objects.get(pk=world.marketing.pk))
    html = client.get(f"/parties/{world.huawei.pk}/").content.decode()
    assert "?tab=activities" not in html and "Next activities" not in html
    assert client.get(f"/parties/{world.huawei.pk}/?tab=activities").status_code == 404


def test_any_document_type_with_the_feature_gets_the_tab_and_timeline(world):
    from guanxi.tests.plugin_app.services import widget_create

    widget = widget_create(actor=world.rep, name="Gadget")
    make_activity(world.rep, widget, subject="Widget demo")
    assert "activities" in [t.key for t in registry.tabs_for("plugin_app.widget", widget, world.rep)]
    assert [e.obj.subject for e in registry.timeline_for("plugin_app.widget", widget, world.rep)] == [
        "Widget demo"
    ]
    assert "activities.activity" in registry.timeline_covered("plugin_app.widget")
    assert registry.tabs_for("core.team", world.east, world.rep) == []
