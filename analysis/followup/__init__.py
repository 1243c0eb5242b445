"""Follow-up decisions per program: a Kirkpatrick scorecard and a reasoned recommendation.

- :mod:`analysis.followup.levels` — the four levels per program, each from the evidence the product
  already computes: L1 reaction (``kepuasan_peserta``), L2 learning (pre/post test), L3 behaviour
  (SKP before/after: :func:`~analysis.followup.levels.behaviour_levels` takes the person-level
  before/after frame, so another source of appraisals plugs in there), L4 results (the IKM of the
  participants' service units, :mod:`analysis.voice.before_after`);
- :mod:`analysis.followup.recommend` — the facts the rules read, the rule schema, the default rules
  (``default_rules.toml`` beside this file) and the recommendation;
- :mod:`analysis.followup.scorecard` — everything together, the JSON of ``python -m analysis
  followup`` and the display table for the pages, the deck and the workbook;
- :mod:`analysis.followup.decisions` — reading the recorded decisions: the one in force for a
  program and what has changed since;
- :mod:`analysis.followup.verdict` — the leader's answer per level over all programs (Terbukti naik,
  Belum terbukti, Data belum cukup, Turun) with the counts and designs behind it.

The rules engine itself is generic (:mod:`analysis.rules`).
"""
