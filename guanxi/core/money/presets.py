"""The currencies and tax rates a new installation starts with (seeded by migration 0007_money and by
`money_presets_ensure()`). Plain data: applied migrations import it, so rows are only ever added here.

Decimal places are ISO 4217's minor units (JPY, KRW, VND 0; KWD 3). Symbols are as printed on Chinese
trade documents: ¥ is the renminbi, so the yen is JP¥.
"""

# code, English name, Chinese name, symbol, decimal places
CURRENCIES: list[tuple[str, str, str, str, int]] = [
    ("CNY", "Chinese yuan (renminbi)", "人民币", "¥", 2),
    ("USD", "US dollar", "美元", "$", 2),
    ("EUR", "Euro", "欧元", "€", 2),
    ("JPY", "Japanese yen", "日元", "JP¥", 0),
    ("HKD", "Hong Kong dollar", "港元", "HK$", 2),
    ("GBP", "Pound sterling", "英镑", "£", 2),
    ("KRW", "South Korean won", "韩元", "₩", 0),
    ("TWD", "New Taiwan dollar", "新台币", "NT$", 2),
    ("SGD", "Singapore dollar", "新加坡元", "S$", 2),
    ("AUD", "Australian dollar", "澳大利亚元", "A$", 2),
    ("CAD", "Canadian dollar", "加拿大元", "C$", 2),
    ("CHF", "Swiss franc", "瑞士法郎", "CHF", 2),
    ("MOP", "Macanese pataca", "澳门元", "MOP$", 2),
    ("NZD", "New Zealand dollar", "新西兰元", "NZ$", 2),
    ("THB", "Thai baht", "泰铢", "฿", 2),
    ("MYR", "Malaysian ringgit", "马来西亚林吉特", "RM", 2),
    ("IDR", "Indonesian rupiah", "印度尼西亚卢比", "Rp", 2),
    ("VND", "Vietnamese đồng", "越南盾", "₫", 0),
    ("INR", "Indian rupee", "印度卢比", "₹", 2),
    ("RUB", "Russian ruble", "俄罗斯卢布", "₽", 2),
    ("AED", "UAE dirham", "阿联酋迪拉姆", "AED", 2),
    ("SAR", "Saudi riyal", "沙特里亚尔", "SAR", 2),
    ("KWD", "Kuwaiti dinar", "科威特第纳尔", "KWD", 3),
    ("BRL", "Brazilian real", "巴西雷亚尔", "R$", 2),
    ("ZAR", "South African rand", "南非兰特", "R", 2),
]

# code, English name, Chinese name, rate in percent (a string: a Decimal), kind
TAX_RATES: list[tuple[str, str, str, str, str]] = [
    ("vat13", "VAT 13 %", "增值税 13%", "13", "standard"),
    ("vat9", "VAT 9 %", "增值税 9%", "9", "standard"),
    ("vat6", "VAT 6 %", "增值税 6%", "6", "standard"),
    ("vat3", "VAT 3 % (small-scale taxpayer)", "增值税 3%（小规模纳税人）", "3", "standard"),
    ("vat1", "VAT 1 % (small-scale taxpayer)", "增值税 1%（小规模纳税人）", "1", "standard"),
    ("vat0", "VAT 0 % (zero-rated)", "增值税 0%（零税率）", "0", "zero"),
    ("exempt", "VAT exempt", "免税", "0", "exempt"),
]


def seed(currency_model, tax_rate_model) -> None:
    """Add the presets that are missing (by code); never changes a row an administrator has edited.
    Takes the models as arguments so that a migration can pass its historical ones."""
    from decimal import Decimal

    have = set(currency_model.objects.values_list("code", flat=True))
    currency_model.objects.bulk_create(
        currency_model(code=c, name_en=en, name_zh=zh, symbol=sym, decimal_places=places)
        for c, en, zh, sym, places in CURRENCIES
        if c not in have
    )
    have = set(tax_rate_model.objects.values_list("code", flat=True))
    tax_rate_model.objects.bulk_create(
        tax_rate_model(code=c, name_en=en, name_zh=zh, rate=Decimal(rate), kind=kind)
        for c, en, zh, rate, kind in TAX_RATES
        if c not in have
    )
