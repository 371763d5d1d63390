"""The demo center — 演示中心: a realistic center with residents, records and six months of visits.

Draws the rows (`vocabulary`, `plan`, `blocks`) and has the store write them (`center`, through
`app.store.queries.demo`); nothing above services. The names callers use are importable from here.
"""

from app.services.demo.center import DemoRefused, create_demo_center
from app.services.demo.plan import DEFAULT_RESIDENTS, DEMO_PASSWORD, DemoLogin, DemoSummary

__all__ = ["DEFAULT_RESIDENTS", "DEMO_PASSWORD", "DemoLogin", "DemoRefused", "DemoSummary", "create_demo_center"]
