"""Guanxi (关系): integrated CRM + SRM."""

__version__ = "0.1.0"
