"""Performance appraisals (SKP / e-Kinerja) joined to the programs: who was appraised when, the
period before and after each participant's program, and the matched comparison group.

- :mod:`analysis.appraisal.table` — the appraisal rows as one table of periods per person, on one
  scale (``nilai`` or the predikat's rank);
- :mod:`analysis.appraisal.join` — the period before and after each program or mentoring pair;
- :mod:`analysis.appraisal.matching` — coarsened exact matching of non-participants;
- :mod:`analysis.appraisal.frame` — the person-level before/after table the evidence engine reads.

Pure pandas on top of :mod:`analysis.core`; the evidence engine and the mentoring evaluation sit above.
"""
