import datetime as dt

import pytest

from guanxi.core.money import forget_currencies
from guanxi.core.roles import SALES_REP
from guanxi.core.services.money import money_presets_ensure
from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)

DAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _fresh_currency_table(db):
    """Each test sees the currencies of its own database: a currency a rolled-back test created is not
    remembered by the process-wide table. The presets are there (the migration seeded them)."""
    forget_currencies()
    money_presets_ensure()
    yield
    forget_currencies()


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def nobody(make_user):
    """A signed-in user without a role."""
    return make_user("nobody")
