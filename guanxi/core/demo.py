"""The demo company that `guanxi demo` loads: 关系示范科技有限公司, with a logo drawn here (no file shipped)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import uscc

from guanxi.core.models import Company
from guanxi.core.services.companies import company_create

_USCC_BODY = "91350203MA8GXDEM0"  # 9 1: company; 350203: 厦门市思明区; then the organization code

DEMO_COMPANY = {
    "name_zh": "关系示范科技有限公司",
    "name_en": "Guanxi Demo Technology Co., Ltd.",
    "short_name": "关系示范",
    "uscc": _USCC_BODY + uscc.calc_check_digit(_USCC_BODY),
    "address_zh": "福建省厦门市思明区软件园二期望海路 10 号 501 室",
    "address_en": "Room 501, 10 Wanghai Road, Software Park II, Siming District, Xiamen, Fujian",
    "phone": "0592-5556666",
    "email": "finance@guanxi-demo.example.com",
    "bank_name": "招商银行厦门分行",
    "bank_account": "5929 0888 6666 001",
    "default_currency": "CNY",
    "fiscal_year_start_month": 1,
}


def demo_logo() -> SimpleUploadedFile:
    """A small red seal-like square with a white ring: enough to see a letterhead's logo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((10, 10, 230, 230), radius=36, fill=(192, 32, 38))
    draw.ellipse((60, 60, 180, 180), outline=(255, 255, 255), width=14)
    draw.rectangle((112, 30, 128, 210), fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile("guanxi-demo-logo.png", buf.getvalue(), content_type="image/png")


def load_demo_company(*, actor) -> Company | None:
    """Create the demo company unless one of ours exists already; returns it (None if there was one)."""
    if Company.objects.exists():
        return None
    return company_create(actor=actor, data=dict(DEMO_COMPANY), logo=demo_logo())
