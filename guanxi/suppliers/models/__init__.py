from .bank import BankAccount, BankAccountChange

__all__ = ["BankAccount", "BankAccountChange"]
