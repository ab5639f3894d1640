"""The opportunity form keeps the expected close date in Chinese: <input type=date> reads only ISO dates, and
the localized format (2026年12月31日) came back empty, so saving the form refused or lost the date."""

import pytest
from django.urls import reverse

from guanxi.crm.tests.factories import make_opportunity


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_edit_form_shows_the_expected_close_date(client, world, lang):
    o = make_opportunity(world.rep, world.huawei, amount="1000")
    client.force_login(world.rep)
    client.cookies["django_language"] = lang
    html = client.get(reverse("crm:opportunity_edit", args=[o.pk])).content.decode()
    assert 'type="date" name="expected_close" value="2026-12-31"' in html
