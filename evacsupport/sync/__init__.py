"""Offline sync between laptops: change capture, encrypted packages, merge and conflicts.

Every saved change is captured from the ORM flush into ``sync_change`` (:mod:`.capture`). A
package for a peer holds what it has not acknowledged (:mod:`.export`), sealed with the team
passphrase (:mod:`.crypto`); importing merges it in one transaction (:mod:`.merge`). A venue
laptop gets only a projection of what its counter needs (:mod:`.scope`).
"""
