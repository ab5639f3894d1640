"""The editable fields of a product, listed once: the services clean and audit them, the form, the API and
the import/export columns offer them (labels come from the model)."""

EDITABLE = [
    "code",
    "kind",
    "name_en",
    "name_zh",
    "description",
    "category",
    "unit",
    "purchase_unit",
    "tax_rate",
    "can_sell",
    "can_buy",
    "prices",  # [{"currency": "CNY", "amount": "12.50"}, …]: the whole set, replacing the stored one
]
AUDITED = EDITABLE
