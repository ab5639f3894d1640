"""The demo has a few activities in both languages: overdue, due today, a next step, done ones."""

import pytest

from guanxi.activities.demo import load_demo_activities
from guanxi.activities.models import Activity
from guanxi.activities.selectors import activities as sel
from guanxi.core.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_loads_activities_once(monkeypatch):
    from guanxi.parties import demo

    monkeypatch.setitem(demo.SIZES, "small", 5)
    demo.load_demo(size="small", password="demo-password-1")
    assert load_demo_activities() == 7
    assert load_demo_activities() == 0 and Activity.objects.count() == 7
    wang = User.objects.get(username="wang.wei")
    qs, _ordering = sel.activity_list(actor=wang, filters=sel.ActivityFilters(when="overdue"))
    assert qs.filter(subject="确认年度框架协议报价").exists()
    assert Activity.objects.get(subject="寄送样品").follow_up_of.outcome.startswith("对方需要")
    assert Activity.objects.filter(subject__startswith="Intro call", assignee__username="john.smith").exists()
    assert Activity.objects.filter(status="done").count() == 2
