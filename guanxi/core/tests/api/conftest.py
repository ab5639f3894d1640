from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)
