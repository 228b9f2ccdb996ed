"""What the modes share, one component each, used by composition (plain functions, no class
hierarchy): committees and 回避 (:mod:`.committee`), bonds (:mod:`.bonds`), sealed offers
(:mod:`.sealing`), bids and their evaluation (:mod:`.bids`, :mod:`.scoring`), publicity
periods (:mod:`.publicity`), eligibility (:mod:`.eligibility`), reopening (:mod:`.reopening`)
and the common guards and helpers (:mod:`.common`). A mode names only what differs.
"""
