from dataclasses import dataclass

import pytest

from guanxi.core import roles as R
from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)


@dataclass
class Staff:
    admin: object
    manager: object  # Sales Manager: changes products, manages categories and units
    buyer: object  # Buyer: changes products, not categories or units
    rep: object  # Sales Representative: reads the catalogue only
    nobody: object  # no role


@pytest.fixture
def staff(make_user, admin_user) -> Staff:
    return Staff(
        admin=admin_user,
        manager=make_user("boss", roles=[R.SALES_MANAGER]),
        buyer=make_user("buyer", roles=[R.BUYER]),
        rep=make_user("rep", roles=[R.SALES_REP]),
        nobody=make_user("nobody"),
    )
