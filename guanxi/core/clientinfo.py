"""What a request says about its client: the address (behind a trusted proxy only) and a browser label."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "1.2.3.4:5678"
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is read only when settings say proxies sit in front
    (GUANXI_PROXY_COUNT, by default 1 with GUANXI_HTTPS=true, else 0): then the address the nearest
    trusted proxy saw is the N-th entry from the right; anything further left is the client's word."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    proxies = getattr(settings, "GUANXI_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < proxies:
        return remote
    return _valid_ip(chain[-proxies]) or remote


_BROWSERS = [  # order matters: Edge and Opera say "Chrome" too, Chrome says "Safari"
    ("MicroMessenger", "WeChat"),
    ("DingTalk", "DingTalk"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("Chromium", "Chromium"),
    ("HeadlessChrome", "Headless Chrome"),
    ("Chrome", "Chrome"),
    ("CriOS", "Chrome"),
    ("Version", "Safari"),
    ("curl", "curl"),
]
_SYSTEMS = [
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("HarmonyOS", "HarmonyOS"),
    ("Linux", "Linux"),
]


def browser_label(user_agent: str) -> str:
    """'Firefox 128 on Linux' from a User-Agent header; the raw text (shortened) when unknown."""
    ua = user_agent or ""
    browser = next(
        (f"{name} {m.group(1)}" for token, name in _BROWSERS if (m := re.search(rf"\b{token}/(\d+)", ua))),
        "",
    )
    system = next((name for token, name in _SYSTEMS if token in ua), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or ua[:60]
