"""/api/v1/currencies, /api/v1/exchange-rates, /api/v1/tax-rates: one Router of three modules."""

from ninja import Router

from guanxi.core.api.money import currencies, rates, taxes

router = Router()
for _module in (currencies, rates, taxes):
    router.add_router("", _module.router)
