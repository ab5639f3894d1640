"""The parties API: one Router (added in config/api.py) made of one module per resource."""

from ninja import Router

from guanxi.parties.api.routes import addresses, contacts, merges, organizations, tags

router = Router()
for _module in (merges, organizations, contacts, addresses, tags):
    router.add_router("", _module.router)
