"""Every write of the moderation app. Each service checks the actor and runs in a transaction.

- ``log.py``: logging removals and addenda (4:10), and the access log of the records.
- ``decisions.py``: disposal decisions and their retention periods (4:7).
- ``holds.py``: holds, and which records they cover.
- ``disposal.py``: disposal under the decision in force (4:7), its preview, the orphaned files' sweep.
- ``disclosure.py``: requests for public records, their confidentiality review and the copy (4:6, 4:10 h).
"""
