"""Options of the division table for the list's province and city filters (input + datalist)."""

from django import template

from guanxi.parties import regions
from guanxi.parties.address_forms import division_label

register = template.Library()


@register.inclusion_tag("parties/partials/region_options.html")
def province_options():
    """Every province, by official name."""
    return {"options": [(d.name, division_label(d)) for d in regions.children()], "blank": False}


@register.inclusion_tag("parties/partials/region_options.html")
def city_options(province: str = ""):
    """The cities of the province the filter names (广东, guangdong, 440000 …), when it names one."""
    match = regions.resolve(province, regions.PROVINCE) if province else regions.Match([])
    children = regions.children(match.divisions[0].code) if len(match.divisions) == 1 else []
    return {"options": [(d.name, division_label(d)) for d in children], "blank": False}
