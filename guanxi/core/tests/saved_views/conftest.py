from guanxi.core.tests.api.helpers import api_as  # noqa: F401  (fixtures)
