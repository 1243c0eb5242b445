"""A small rules engine: an ordered list of rules, written in TOML, evaluated against a dict of facts.

The rules are data, not code. A :class:`analysis.rules.engine.Schema` says which facts a rule set may
name (numbers, text with its allowed values, yes/no, lists), which outcomes a rule may give and how a
fact is written in a reason; :func:`analysis.rules.engine.parse_rules` reads and checks a rule set
against it, naming the rule and the field of any mistake; :func:`analysis.rules.engine.evaluate`
returns the first rule whose conditions all hold, with its reasons filled in with the numbers that
decided it. The engine knows nothing of programs or statistics: the follow-up recommendation
(:mod:`analysis.followup`) is one schema and one default rule file; another decision (a per-employee
development plan) is another schema and another file, stored and versioned the same way
(:mod:`store.rulesets`).
"""
