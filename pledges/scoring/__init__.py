"""Chấm điểm, xếp hạng: the scoring table of a bloc-year, the units' score sheets and the ranking.

It "comes with the pledge", so it lives in the ``pledges`` app, as a package by sub-domain:
``models`` (imported by ``pledges/models.py``, so the tables belong to the ``pledges`` app), ``services``
(every write), ``selectors`` (``ranking_compute`` and the sheet's totals) and ``access`` (who may score,
review, finalise, reopen; built on ``blocs.access``). The rules: docs/domain.md, "Scoring and ranking".
"""
