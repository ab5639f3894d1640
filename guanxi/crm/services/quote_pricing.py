"""A quote's price list (价目表): the one the user chose (it must be in use, valid today, for this customer
or for every customer, and in the quote's currency: "currencies must match the price list"), or none, and
then the lines left without a unit price are priced by guanxi.crm.selectors.pricelists (customer's lists,
assigned list, default list, catalogue). The quote records the list that priced it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.crm.models import PriceList, Quote
from guanxi.crm.selectors.pricelists import PriceBook, price_book, pricelist_visible


def _id(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 15 and int(text) > 0 else None


def choose_price_list(errors: dict, actor, q: Quote, data: dict, *, currency_changed: bool) -> None:
    """Apply the "price_list" the user gave (empty: found automatically) and check the chosen list against
    the quote's customer, currency and day."""
    if "price_list" in data:
        value = data["price_list"]
        q.price_list_chosen = False  # the list recorded stays while it is in the quote's currency
        if q.price_list is not None and q.price_list.currency_id != q.currency_id:
            q.price_list = None
        if value not in (None, ""):
            pk = _id(value)
            pl = pricelist_visible(actor=actor).filter(pk=pk).first() if pk else None
            if pl is None or pl.archived_at:
                errors["price_list"] = _("Choose a price list in use.")
                return
            q.price_list, q.price_list_chosen = pl, True
    elif not q.price_list_chosen and currency_changed:
        q.price_list = None  # found again for the new currency
    pl = q.price_list if q.price_list_chosen else None
    if pl is None or "currency" in errors:
        return
    today = timezone.localdate()
    if q.currency_id and pl.currency_id != q.currency_id:
        errors["price_list"] = _(
            "The currencies must match the price list: the quote is in %(quote)s, %(name)s in %(list)s."
        ) % {"quote": q.currency_id, "name": pl.name, "list": pl.currency_id}
    elif pl.customer_id and q.customer_id and pl.customer_id != q.customer_id:
        errors["price_list"] = _("This price list is for another customer only.")
    elif "price_list" in data and not pl.valid_on(today):
        errors["price_list"] = _("%(name)s is not valid on %(day)s.") % {
            "name": pl.name,
            "day": today.isoformat(),
        }


def book_for(q: Quote, lines: list[dict]) -> PriceBook:
    """The prices for the products of these lines, for the quote's customer and currency, today."""
    ids = [n for n in (_id(x.get("product")) for x in lines) if n is not None]
    preferred = q.price_list if q.price_list_chosen else None
    return price_book(
        customer_id=q.customer_id,
        currency=q.currency_id,
        on_date=timezone.localdate(),
        product_ids=ids,
        preferred=preferred,
    )


def record_price_list(q: Quote, book: PriceBook) -> None:
    """The chosen list stays; otherwise the list that priced a line now, or the one recorded before (lines that
    come back with the prices it gave) while it is in the quote's currency."""
    if q.price_list_chosen:
        return
    used: PriceList | None = book.first_used()
    if used is not None:
        q.price_list = used
    elif q.price_list is not None and q.price_list.currency_id != q.currency_id:
        q.price_list = None
