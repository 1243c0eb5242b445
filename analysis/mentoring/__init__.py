"""Did senior–junior mentoring work? Coverage, the effect on the mentees' appraisals against matched
non-mentees, the dose (sessions), each mentor's shrunk effect, and the JP it earns.

- :mod:`analysis.mentoring.coverage` — pairs, mentors, mentees, sessions, the share of junior staff
  mentored per kecamatan and period, mentor load, and JP;
- :mod:`analysis.mentoring.effect` — the appraisal join and the evidence engine's difference in
  differences (overall and per kecamatan), the dose slope, the mentors' empirical Bayes estimates;
- :mod:`analysis.mentoring.summary` — everything together as ``python -m analysis mentoring`` prints
  it, and as a tidy table for slides and exports.
"""
