"""htmx endpoints of the province → city → district picker and of the list's location filters.

They answer with <option>s (or the address form's location fields) and read only the public division
table, so they need a login but no permission.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guanxi.parties import regions
from guanxi.parties.address_forms import AddressForm, division_label

LEVELS = {"cities": (regions.PROVINCE, regions.CITY), "districts": (regions.CITY, regions.DISTRICT)}
PARENT_KEYS = {"cities": ("province_code", "province"), "districts": ("city_code", "city")}


def _param(params, endings: tuple[str, ...]) -> tuple[str, str]:
    """(key, value) of the first parameter named `parent` or ending in one of `endings` (a picker sends its
    own name, which carries the form's prefix: addr-province_code)."""
    for key, value in params.items():
        if key == "parent" or key.endswith(endings):
            return key, value.strip()[:60]
    return "", ""


@login_required
@require_GET
def region_options(request, level: str):
    """The cities of a province or the districts of a city, as <option>s.

    ?province_code=440000 (or addr-province_code=…, parent=…) for a picker's select: values are codes.
    ?province=广东&names=1 for a filter's datalist: values are names, and the parent may be typed as a
    name or in pinyin (it must name one division).
    """
    if level not in LEVELS:
        raise Http404
    parent_level, child_level = LEVELS[level]
    _key, parent_text = _param(request.GET, PARENT_KEYS[level])
    as_names = bool(request.GET.get("names"))
    children = []
    if parent_text:
        match = regions.resolve(parent_text, parent_level)
        if len(match.divisions) == 1:
            children = regions.children(match.divisions[0].code)
    options = [(d.name if as_names else d.code, division_label(d)) for d in children]
    return render(
        request,
        "parties/partials/region_options.html",
        {"options": options, "blank": not as_names, "level": child_level},
    )


@login_required
@require_GET
def address_location(request):
    """The address form's location fields for the country just chosen (a picker in China, text elsewhere)."""
    key, country = _param(request.GET, ("country",))
    prefix = key[: -len("-country")] if key.endswith("-country") else None
    form = AddressForm(initial={"country": country[:2].upper()}, prefix=prefix)
    return render(request, "parties/partials/address_location.html", {"form": form, "oob": True})
