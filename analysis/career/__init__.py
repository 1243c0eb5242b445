"""Career development: each employee's development record, the yearly JP, a development plan, the talent box.

- :mod:`analysis.career.roster` — the employees of the appraisal export (the whole workforce) and the
  JP of their training, mentoring and other development per year against the target, per unit
  kerja and kecamatan (employees with no development at all are counted);
- :mod:`analysis.career.talent` — the 3 × 3 talent box of PermenPANRB 3/2020 as amended: one table
  of box numbers, meanings and actions, the predikat → kinerja-axis table, the placement;
- :mod:`analysis.career.plan` — the development plan (*Rencana Pengembangan*): facts per employee,
  their schema, rules written as data (``default_plan_rules.toml``, evaluated by
  :mod:`analysis.rules`), the programs with the best evidence for an employee's unit type;
- :mod:`analysis.career.record` — one employee's development record.
"""
