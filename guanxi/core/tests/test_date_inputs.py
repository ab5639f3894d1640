"""A browser's date field (<input type=date>) reads only ISO dates: a form that renders its date in the
user's format (2026年12月1日 in Chinese) shows an empty field, and saving it loses the date. Every date
field of a form that is shown with a value renders it as YYYY-MM-DD, in both languages."""

import datetime as dt
import re

import pytest
from django.utils import translation

from guanxi.core.approval_forms import DelegationForm

DAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_delegation_form_shows_its_first_day_as_an_iso_date(db, admin_user, lang):
    with translation.override(lang):
        html = str(DelegationForm(actor=admin_user, initial={"starts_on": DAY, "ends_on": DAY}))
    assert re.search(r'type="date" name="starts_on" value="2026-12-01"', html), html
    assert re.search(r'type="date" name="ends_on" value="2026-12-01"', html), html
