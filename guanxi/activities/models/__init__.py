from guanxi.activities.models.activities import Activity

__all__ = ["Activity"]
