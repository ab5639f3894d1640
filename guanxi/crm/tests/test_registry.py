"""Every action the sales app checks is registered: an administrator (all registered actions) has it, and
Settings → Roles shows it. (Lead and pool actions were granted to the shipped roles but not registered, so an
administrator could not open Leads.)"""

from guanxi.core import registry
from guanxi.core.roles import grants_for
from guanxi.crm.permissions import Action


def test_every_sales_action_is_registered_and_an_administrator_has_it(admin_user):
    codes = set(registry.action_codes())
    actions = {v for k, v in vars(Action).items() if k.isupper()}
    assert actions <= codes, actions - codes
    assert all(grants_for(admin_user).can(a) for a in actions)
