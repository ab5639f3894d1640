"""`{{ code|qr_svg }}`: a QR code as inline SVG (segno), for the delivery note the receiving clerk scans."""

from __future__ import annotations

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def qr_svg(value, scale: int = 4) -> str:
    """The QR code of `value` (error correction M, a quiet zone of 2 modules), black on white."""
    code = segno.make(str(value), error="m", micro=False)
    return mark_safe(code.svg_inline(scale=int(scale), border=2, dark="#000", light="#fff", omitsize=False))  # noqa: S308  segno's own SVG of our code
