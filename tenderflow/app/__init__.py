"""The application layer: one facade per area (procurement, audit, administration, …), the only
way in for the CLI, the scenario runner and the BDD steps (DESIGN §2); :mod:`.common` holds what
every facade shares (who may act, stream names, the dated parameters)."""
