from .bank import BankAccount, BankAccountChange
from .changes import ChangeState
from .documents import DocumentKind, SupplierDocument
from .lifecycle import SupplierStatusChange

__all__ = [
    "BankAccount",
    "BankAccountChange",
    "ChangeState",
    "DocumentKind",
    "SupplierDocument",
    "SupplierStatusChange",
]
