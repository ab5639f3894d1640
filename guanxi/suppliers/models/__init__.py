from .bank import BankAccount, BankAccountChange
from .changes import ChangeState
from .lifecycle import SupplierStatusChange

__all__ = ["BankAccount", "BankAccountChange", "ChangeState", "SupplierStatusChange"]
