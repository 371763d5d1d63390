"""What the homes ask of the center (issue 18): family sickbeds (家庭病床) and proxy refills (代配药) — use cases,
what the record and the round sheet show of them. Uses app.domain.{sickbeds,refills} and app.store.queries.beds.
"""
