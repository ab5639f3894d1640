from guanxi.catalog.models.catalog import Category, Product, ProductPrice, Unit, UnitCategory

__all__ = ["Category", "Product", "ProductPrice", "Unit", "UnitCategory"]
