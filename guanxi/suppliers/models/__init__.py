from .bank import BankAccount, BankAccountChange
from .categories import CategoryRequirement, SupplierCategory
from .changes import ChangeState
from .documents import DocumentKind, SupplierDocument
from .lifecycle import SupplierStatusChange
from .questionnaires import (
    Qualification,
    QualificationAnswer,
    QualificationState,
    Question,
    QuestionKind,
    Questionnaire,
)
from .role_requests import RoleRequestState, SupplierRoleRequest

__all__ = [
    "BankAccount",
    "BankAccountChange",
    "CategoryRequirement",
    "ChangeState",
    "DocumentKind",
    "Qualification",
    "QualificationAnswer",
    "QualificationState",
    "Question",
    "QuestionKind",
    "RoleRequestState",
    "Questionnaire",
    "SupplierCategory",
    "SupplierRoleRequest",
    "SupplierDocument",
    "SupplierStatusChange",
]
