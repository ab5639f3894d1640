"""A few attachments on a demo party, so the Attachments tab and its previews have something to show."""

from __future__ import annotations

import io

from guanxi.core.sample_files import pdf_bytes, png_bytes
from guanxi.core.services.attachments import attachment_add

FILES = [
    (
        "华为-2026年框架协议.pdf",
        lambda: pdf_bytes("Framework agreement 2026", "Huawei Technologies Co., Ltd.", "Signed copy"),
        "盖章扫描件 Signed copy",
    ),
    ("华为-logo.png", lambda: png_bytes(160, 90, (199, 0, 11)), ""),
    (
        "开票信息.txt",
        lambda: (
            "发票抬头：华为技术有限公司\n纳税人识别号：914403001922038216\n开户银行：招商银行深圳分行\n".encode()
        ),
        "Invoicing details",
    ),
]


def attach_demo_files(actor, party) -> None:
    for name, content, description in FILES:
        attachment_add(
            actor=actor, record=party, file=io.BytesIO(content()), name=name, description=description
        )
