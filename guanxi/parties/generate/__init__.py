"""Bulk generator of realistic bilingual parties, for `guanxi demo` and the benchmarks (bench/).

It writes straight to the tables in batches (not through the services): one million organizations
would otherwise take hours. What it writes is what the services would write, search columns included;
it writes no audit rows (generated data has no history).

- names.py: company and person names, job titles, phone numbers, identifiers (places and e-mail addresses
  come from guanxi/parties/demo_places.py);
- rows.py: the row builder (`Generator`): one organization with its people, as rows per table;
- tables.py: the table writer: column order and defaults, party ids, one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable

from guanxi.core.models import Team, User
from guanxi.parties.generate.names import random_uscc
from guanxi.parties.generate.rows import Generator
from guanxi.parties.generate.tables import Counts, write_batch
from guanxi.parties.models import Tag

__all__ = ["Counts", "Generator", "generate", "random_uscc", "teams_and_tags", "write_batch"]


def generate(
    *,
    organizations: int,
    seed: int = 1,
    owners: list[User] | None = None,
    tags: list[Tag] | None = None,
    chinese_ratio: float = 0.5,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    owners = owners if owners is not None else list(User.objects.filter(is_active=True))
    tags = tags if tags is not None else list(Tag.objects.all())
    gen = Generator(seed=seed, owners=owners, tags=tags, chinese_ratio=chinese_ratio)
    total = Counts()
    done = 0
    while done < organizations:
        n = min(batch_size, organizations - done)
        c = write_batch(gen, n)
        total.organizations += c.organizations
        total.people += c.people
        done += n
        if progress:
            progress(done)
    return total


def teams_and_tags(names_teams: list[str], names_tags: list[tuple[str, str]]) -> tuple[list[Team], list[Tag]]:
    teams = [Team.objects.get_or_create(name=n)[0] for n in names_teams]
    tags = [Tag.objects.get_or_create(name=n, defaults={"color": c})[0] for n, c in names_tags]
    return teams, tags
