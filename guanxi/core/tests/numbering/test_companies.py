"""Our companies meet the money block: the default currency is one in use."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.tests.factories import make_company

pytestmark = pytest.mark.django_db


def test_the_default_currency_must_be_one_in_use():
    """A code that looks right but is not in Settings → Currencies is refused (before the merge of money and
    companies the field was only checked to be three letters)."""
    with pytest.raises(ValidationError) as exc:
        make_company(default_currency="XYZ")
    assert "default_currency" in exc.value.message_dict
    assert make_company(default_currency="usd").default_currency == "USD"
