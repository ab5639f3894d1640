"""Opportunities made through the service, as a user would."""

import datetime as dt

from guanxi.crm.services.opportunities import opportunity_create


def make_opportunity(actor, customer, name="Core switches", **data):
    data = {"name": name, "customer": customer.pk, "expected_close": dt.date(2026, 12, 31), **data}
    return opportunity_create(actor=actor, data=data)
