"""The benchmark's approvable document: parties as "account reviews" (bench.settings only).

No shipped app makes a document approvable yet, so the approvals benchmark registers one, exactly as an app
would (docs/subsystems/approvals.md §1): rules may test a party's customer status and company size. It is
registered by `bench.apps.BenchConfig` in the bench server and by `bench/generate_work.py`, never in
production settings. `tab=False`: the party page (the 360° benchmark) stays as it is.
"""

from __future__ import annotations


def register() -> None:
    from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, approvable, register_approvable
    from guanxi.parties.choices import CompanySize, CustomerStatus

    if approvable("parties.party") is not None:
        return
    register_approvable(
        ApprovalSpec(
            document="parties.party",
            fields={
                "customer_status": FieldSpec("Customer status", "choice", choices=CustomerStatus.choices),
                "size": FieldSpec("Size", "choice", choices=CompanySize.choices),
            },
            values=lambda p: {"customer_status": p.customer_status, "size": p.size},
            requester=lambda p: p.owner,
            tab=False,
        )
    )
