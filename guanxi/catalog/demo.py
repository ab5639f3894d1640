"""The demo catalogue: a small category tree and products and services in Chinese and English, sold,
bought or both, with sale prices — made through the services, so each carries its history. Loaded by
`guanxi demo` after our company (guanxi/cli.py); does nothing when products exist."""

from __future__ import annotations

from django.db import transaction

from guanxi.catalog.models import Category, Product
from guanxi.catalog.services.products import product_create
from guanxi.catalog.services.setup import category_create

# (English, Chinese, parent index or None)
CATEGORIES = [
    ("Electronic components", "电子元器件", None),
    ("Resistors", "电阻", 0),
    ("Capacitors", "电容", 0),
    ("Packaging", "包装材料", None),
    ("Raw materials", "原材料", None),
    ("Services", "服务", None),
]
# (code, English, Chinese, category index, unit, purchase unit, tax, sold, bought, kind, CNY, USD)
PRODUCTS = [
    ("R-0603-10K", "Chip resistor 0603 10 kΩ", "贴片电阻 0603 10kΩ", 1, "pcs", "box12", "vat13", True, True, "product", "0.0120", "0.0018"),
    ("C-0805-1U", "Ceramic capacitor 0805 1 µF", "陶瓷电容 0805 1µF", 2, "pcs", None, "vat13", True, True, "product", "0.0350", "0.0050"),
    ("GW-5000", "Industrial gateway GW-5000", "工业网关 GW-5000", 0, "pcs", None, "vat13", True, False, "product", "2980.00", "420.00"),
    ("BOX-A4", "Corrugated box A4", "瓦楞纸箱 A4", 3, "pcs", "box12", "vat13", False, True, "product", None, None),
    ("AL-6061", "Aluminium 6061 plate", "铝板 6061", 4, "kg", "t", "vat13", False, True, "product", None, None),
    ("CU-WIRE", "Copper wire 1.5 mm²", "铜线 1.5平方", 4, "m", None, "vat13", True, True, "product", "3.60", "0.52"),
    ("SV-INSTALL", "On-site installation", "现场安装服务", 5, "h", "day", "vat6", True, False, "service", "380.00", "55.00"),
    ("SV-TRAIN", "Operator training (1 day)", "操作培训（1天）", 5, "day", None, "vat6", True, False, "service", "2400.00", "340.00"),
    ("SV-LOGI", "Freight and logistics", "运输物流服务", 5, "pcs", None, "vat9", False, True, "service", None, None),
]  # fmt: skip


@transaction.atomic
def load_demo_catalog(*, actor) -> int:
    """Create the demo catalogue (once) and its approval rule; returns how many products were created."""
    if Product.objects.exists():
        return 0
    cats: list[Category] = []
    for en, zh, parent in CATEGORIES:
        data = {"name_en": en, "name_zh": zh, "parent": cats[parent].pk if parent is not None else None}
        cats.append(category_create(actor=actor, data=data))
    for code, en, zh, cat, unit, bunit, tax, sold, bought, kind, cny, usd in PRODUCTS:
        prices = [{"currency": c, "amount": a} for c, a in (("CNY", cny), ("USD", usd)) if a]
        product_create(
            actor=actor,
            data={
                "code": code,
                "name_en": en,
                "name_zh": zh,
                "category": cats[cat].pk,
                "unit": unit,
                "purchase_unit": bunit,
                "tax_rate": tax,
                "can_sell": sold,
                "can_buy": bought,
                "kind": kind,
                "prices": prices,
            },
        )
    _demo_approval(actor)
    return len(PRODUCTS) + 1


def _demo_approval(actor) -> None:
    """A demo approval rule: new products bought from suppliers need the Procurement Manager (刘洋); other new
    products need no approval. Emily Chen (Buyer) has submitted one, so 刘洋's inbox shows it."""
    from guanxi.catalog.services.products import product_submit
    from guanxi.core import roles
    from guanxi.core.models import ApprovalRule, Role, User
    from guanxi.core.services.approval_rules import approval_rule_create

    if ApprovalRule.objects.filter(document_type="catalog.product").exists():
        return
    pm = Role.objects.get(code=roles.PROCUREMENT_MANAGER)
    approval_rule_create(
        actor=actor,
        document_type="catalog.product",
        name="新采购物料 / New purchased products",
        conditions=[{"field": "can_buy", "op": "is", "value": True}],
        levels=[{"kind": "role", "role_id": pm.pk, "mode": "any"}],
    )
    approval_rule_create(
        actor=actor, document_type="catalog.product", name="其他新产品 / Other new products", no_approval=True
    )
    buyer = User.objects.filter(username="emily.chen").first() or actor
    product = product_create(
        actor=buyer,
        data={
            "code": "PCB-2L-100",
            "name_en": "Bare PCB, 2 layers, 100 × 80 mm",
            "name_zh": "双层裸板 PCB 100×80mm",
            "category": Category.objects.filter(name_en="Electronic components")
            .values_list("pk", flat=True)
            .first(),
            "tax_rate": "vat13",
            "can_sell": False,
            "can_buy": True,
        },
    )
    product_submit(actor=buyer, product=product)
