"""The comparison table (比价表) of an opened round: per RFQ line each supplier's unit price, amount and lead
time, converted to the RFQ's currency at the rates of the day the round was opened (through CNY when a pair has
no rate of its own); per supplier the total, the score on each criterion and the weighted score, ranked.

Scores (0–100), each explained on the page:
- price: the lowest amounts of the lines the supplier quoted ÷ the supplier's amounts of them, times the share
  of all lines' lowest amounts those lines make up — so among complete quotes the lowest total scores highest
  (100 only when lowest on every line), and a partial quote cannot win by leaving out the dear lines;
- lead time: per line, (shortest + 1) ÷ (the supplier's + 1) days, averaged over all lines (unquoted: 0);
- payment terms: the supplier's days ÷ the longest days quoted (longer is better; all 0: 100);
- quality and custom criteria: the buyer's score after opening (not scored yet: 0, and shown so).
The weighted score is Σ weight × score ÷ 100. A fixed number of queries whatever the size (rates: one
conversion per currency)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from guanxi.core.money import decimal_places
from guanxi.core.money.amounts import quantize_half_up
from guanxi.core.selectors.exchange_rates import convert
from guanxi.procurement.choices import CriterionKind, QuoteState
from guanxi.procurement.models import QuoteScore, Rfq, RfqCriterion, RfqLine, SupplierQuote, SupplierQuoteLine

HUNDRED = Decimal(100)


@dataclass
class Cell:
    quote_line: SupplierQuoteLine
    unit_price: Decimal  # converted
    amount: Decimal  # converted
    best: bool = False


@dataclass
class Column:
    quote: SupplierQuote
    rate: Decimal  # quote currency → the RFQ's currency
    total: Decimal = Decimal(0)
    quoted: int = 0
    scores: dict[int, Decimal | None] = field(default_factory=dict)  # criterion id → score
    weighted: Decimal = Decimal(0)
    rank: int = 0

    @property
    def supplier(self):
        return self.quote.supplier


@dataclass
class Row:
    line: RfqLine
    cells: list[Cell | None]
    picked: str = ""  # the quote a form picked for the line (the award page shows a refused choice again)

    @property
    def best_price(self) -> Decimal | None:
        prices = [c.unit_price for c in self.cells if c is not None]
        return min(prices) if prices else None


@dataclass
class Comparison:
    rfq: Rfq
    round: int
    on: dt.date  # the date of the rates
    columns: list[Column]
    rows: list[Row]
    criteria: list[RfqCriterion]

    def cheapest_complete(self) -> Column | None:
        """The supplier with the lowest total among those who quoted every line."""
        full = [c for c in self.columns if c.quoted == len(self.rows)]
        return min(full, key=lambda c: c.total) if full else None


def comparison(rfq: Rfq, round_: int | None = None) -> Comparison:
    """The table of an opened round (the current one by default). Raises NoRateError when a quote's currency
    has no rate to the RFQ's currency on the day."""
    rnd = round_ or rfq.round
    quotes = list(
        SupplierQuote.objects.filter(rfq=rfq, round=rnd, state=QuoteState.OPENED)
        .select_related("supplier", "currency")
        .order_by("supplier__name", "id")
    )
    lines = list(rfq.lines.select_related("unit", "product").order_by("position", "id"))
    criteria = list(rfq.criteria.all())
    # The rates of the day the round was opened (each round keeps its own), today's for a round not opened.
    opened = next((q.opened_at for q in quotes if q.opened_at), None)
    on = timezone.localtime(opened).date() if opened else timezone.localdate()
    rates: dict[str, Decimal] = {}
    for q in quotes:
        code = q.currency_id or rfq.currency_id
        if code not in rates:
            rates[code] = convert(Decimal(1), code, rfq.currency_id, on=on, via="CNY").rate
    columns = [Column(quote=q, rate=rates[q.currency_id or rfq.currency_id]) for q in quotes]
    index = {q.pk: i for i, q in enumerate(quotes)}
    by_line: dict[int, list[Cell | None]] = {ln.pk: [None] * len(quotes) for ln in lines}
    qty = {ln.pk: ln.quantity for ln in lines}
    places = decimal_places(rfq.currency_id)
    for ql in SupplierQuoteLine.objects.filter(quote__in=quotes):
        i = index[ql.quote_id]
        ql.quote = quotes[i]  # the page names the supplier of each cell: no query per cell
        price = ql.unit_price * columns[i].rate
        amount = quantize_half_up(price * qty[ql.rfq_line_id], places)
        by_line[ql.rfq_line_id][i] = Cell(ql, price, amount)
        columns[i].total += amount
        columns[i].quoted += 1
    rows = [Row(ln, by_line[ln.pk]) for ln in lines]
    for row in rows:
        best = row.best_price
        for c in row.cells:
            if c is not None and c.unit_price == best:
                c.best = True
    hand = {(s.quote_id, s.criterion_id): s.score for s in QuoteScore.objects.filter(quote__in=quotes)}
    _score(columns, rows, criteria, hand)
    return Comparison(rfq, rnd, on, columns, rows, criteria)


def _score(columns: list[Column], rows: list[Row], criteria: list[RfqCriterion], hand: dict) -> None:
    n = len(rows) or 1
    lowest, shortest = [], []
    for row in rows:
        quoted_cells = [c for c in row.cells if c is not None]
        lowest.append(min((c.amount for c in quoted_cells), default=Decimal(0)))
        shortest.append(min((c.quote_line.lead_days for c in quoted_cells), default=0))
    all_lowest = sum(lowest, Decimal(0))
    longest = max((col.quote.payment_days or 0 for col in columns), default=0)
    for i, col in enumerate(columns):
        low_quoted = mine = lead = Decimal(0)
        quoted = 0
        for row, low, short in zip(rows, lowest, shortest, strict=True):
            cell = row.cells[i]
            if cell is None:
                continue
            quoted += 1
            low_quoted += low
            mine += cell.amount
            lead += Decimal(short + 1) / Decimal(cell.quote_line.lead_days + 1)
        # Price: how close the lines quoted come to the lowest amounts (the lowest complete total scores highest),
        # times the share of the RFQ's value they cover (a partial quote cannot win by leaving out dear lines).
        closeness = low_quoted / mine if mine else Decimal(1)
        share = low_quoted / all_lowest if all_lowest else Decimal(quoted) / n
        computed: dict[str, Decimal] = {
            CriterionKind.PRICE: HUNDRED * closeness * share,
            CriterionKind.LEAD_TIME: HUNDRED * lead / n,
            CriterionKind.PAYMENT_TERMS: (
                HUNDRED * Decimal(col.quote.payment_days or 0) / longest if longest else HUNDRED
            ),
        }
        for c in criteria:
            score = computed.get(c.kind)
            if score is None:
                given = hand.get((col.quote.pk, c.pk))
                score = Decimal(given) if given is not None else None
            col.scores[c.pk] = score.quantize(Decimal("0.1")) if score is not None else None
            col.weighted += Decimal(c.weight) * (score or 0) / HUNDRED
        col.weighted = col.weighted.quantize(Decimal("0.1"))
    for rank, col in enumerate(sorted(columns, key=lambda c: (-c.weighted, c.total)), start=1):
        col.rank = rank


# The table of an opened round changes only with the RFQ (the buyer's scores, an award, a new round: each bumps
# its version) — and with a rate of the opening day corrected afterwards, which shows within a minute. Ten buyers
# opening the same 4,000-cell table at once should not compute it ten times: each process keeps the last few,
# as objects (nothing pickled), with what the page made of them (`extras`). The award service never uses this.
_KEEP, _SECONDS = 6, 60.0  # a 20 × 200 table with its four pages is ~10 MB: a few per process, for a minute
_kept: OrderedDict[tuple, tuple[float, Comparison, dict]] = OrderedDict()
_lock = threading.Lock()


def comparison_kept(rfq: Rfq, round_: int | None = None) -> tuple[Comparison, dict]:
    """`comparison()` kept per (RFQ, its version, round) for a minute in this process, and a dict the caller may
    keep what it derives from the table in (the page's rows per language)."""
    key = (rfq.pk, rfq.created_at, rfq.version, round_ or rfq.round)
    now = time.monotonic()
    with _lock:
        hit = _kept.get(key)
        if hit is not None and now - hit[0] < _SECONDS:
            _kept.move_to_end(key)
            return hit[1], hit[2]
    table = comparison(rfq, round_)
    with _lock:
        for old in [k for k, v in _kept.items() if now - v[0] >= _SECONDS]:
            del _kept[old]  # nothing stale stays in memory
        _kept[key] = (now, table, {})
        while len(_kept) > _KEEP:
            _kept.popitem(last=False)
        return table, _kept[key][2]
