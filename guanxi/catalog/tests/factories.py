from guanxi.catalog.services.products import product_create
from guanxi.catalog.services.setup import category_create


def make_product(actor, code="", name_zh="", name_en="", **data):
    return product_create(actor=actor, data={"code": code, "name_zh": name_zh, "name_en": name_en, **data})


def make_category(actor, name_en="", name_zh="", parent=None):
    return category_create(actor=actor, data={"name_en": name_en, "name_zh": name_zh, "parent": parent})
