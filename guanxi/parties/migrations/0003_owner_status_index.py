"""PostgreSQL: an index for "my customers in status X" that also answers its capped count.

The list filtered by owner + customer status found its page through party_cstatus_idx in ~1 ms, but the
capped count (up to 10,001 matches) read ~270,000 rows of that index and the heap at 1M organizations
(130 ms). With owner and status leading, and archived_at carried along, the count is an index-only scan.
On SQLite nothing is created. See docs/benchmarks.md.
"""

from django.db import migrations

from guanxi.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS party_owner_cstatus_idx ON parties_party "
    "(owner_id, customer_status, archived_at) WHERE is_customer",
    "CREATE INDEX IF NOT EXISTS party_owner_sstatus_idx ON parties_party "
    "(owner_id, supplier_status, archived_at) WHERE is_supplier",
]
BACKWARD = [
    "DROP INDEX IF EXISTS party_owner_sstatus_idx",
    "DROP INDEX IF EXISTS party_owner_cstatus_idx",
]


class Migration(migrations.Migration):
    dependencies = [("parties", "0002_search_indexes")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
