# Numbers in Chinese business documents are grouped by thousands with commas (1,234,567.89), as in
# English; Django's own zh_Hans formats group by ten thousands without a separator. Only where grouping is
# asked for (amounts: guanxi.core.money.format_money); dates stay Django's.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
