"""The catalogue's permission actions (declared in guanxi.catalog.registry). The catalogue is shared master
data: it has no owners, so no record area; who may see it sees all of it."""


class Action:
    PRODUCT_VIEW = "product.view"  # the catalogue: products, categories, units and their prices
    PRODUCT_CHANGE = "product.change"  # create, edit, archive and restore products; import them
    PRODUCT_EXPORT = "product.export"  # download the catalogue as CSV / XLSX
    CATALOG_MANAGE = "catalog.manage"  # the category tree and the units of measure
