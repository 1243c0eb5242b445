"""Ordered rules in TOML, checked against a schema of facts and evaluated first match first.

A rule set is a TOML document::

    rule_set = "followup"                # optional; when given it must name the schema

    [[rules]]
    id = "harm_learning"                 # a-z, 0-9 and _; unique
    recommendation = "hentikan"          # the schema's outcome key and one of its outcomes
    when = [                             # every condition must hold; an empty list always holds
      { fact = "learning.status", eq = "decrease" },
      { fact = "learning.n", ge = 10 },
    ]
    reason_id = "Pengetahuan turun: d_z {learning.effect}."   # {fact} is written in the reader's language
    reason_en = "Knowledge fell: d_z {learning.effect}."
    note = "why this rule exists (optional, for the people who edit the rules)"

A schema may declare further keys every rule carries (:attr:`Schema.extras`, e.g. a development
plan's ``priority = "tinggi"``), each with its allowed values. :func:`evaluate` returns the first rule
that holds; :func:`evaluate_all` every rule that holds, in order (a plan gives several suggestions).

Operators: ``lt le gt ge`` (numbers), ``eq ne`` (numbers, text, yes/no), ``in not_in`` (a list of
numbers or text), ``contains not_contains`` (a list fact holds a text value) and ``missing``
(``true``: the fact has no value; ``false``: it has one). A condition on a fact without a value
does not hold, except ``missing = true``. The first rule whose conditions all hold decides; with
``require_fallback`` the last rule has no condition, so every case gets an outcome and its reasons,
and no rule without conditions may stand before the last (the ones after it could never fire).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct

#: Operator → the sign shown in explanations.
OPERATORS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠", "in": "∈", "not_in": "∉",
             "contains": "∋", "not_contains": "∌", "missing": "?"}
#: The operators each kind of fact accepts.
KIND_OPERATORS = {
    "number": ("lt", "le", "gt", "ge", "eq", "ne", "in", "not_in", "missing"),
    "text": ("eq", "ne", "in", "not_in", "missing"),
    "bool": ("eq", "ne", "missing"),
    "list": ("contains", "not_contains"),
}
#: How a number is written in a reason.
STYLES = ("number", "int", "p", "pct", "plain")
RULE_KEYS = ("id", "when", "reason_id", "reason_en", "note")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Fact:
    """One fact a rule may name.

    Attributes
    ----------
    name : str
        Dotted name, e.g. ``"learning.n"``.
    kind : {"number", "text", "bool", "list"}
    choices : tuple of str
        The values a text (or an element of a list) may take; empty: any text.
    style : {"number", "int", "p", "pct", "plain"}
        How a reason writes a number: ``decimals`` places, whole, as a p-value, as a percentage, or
        whole without grouping (a year).
    decimals : int
    labels : mapping of str to (str, str)
        Words for text values in a reason, Indonesian and English.

    Examples
    --------
    >>> Fact("learning.n", "number", style="int").kind
    'number'
    """

    name: str
    kind: str
    choices: tuple[str, ...] = ()
    style: str = "number"
    decimals: int = 2
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KIND_OPERATORS:
            raise ValueError(f"kind must be one of {tuple(KIND_OPERATORS)}, got {self.kind!r}")
        if self.style not in STYLES:
            raise ValueError(f"style must be one of {STYLES}, got {self.style!r}")


@dataclass(frozen=True)
class Schema:
    """What a rule set may say: its facts, the key that names a rule's outcome, the outcomes.

    Examples
    --------
    >>> s = Schema("demo", (Fact("n", "number"),), "action", ("keep", "drop"))
    >>> sorted(s.fact_map), s.outcome_key
    (['n'], 'action')
    """

    name: str
    facts: tuple[Fact, ...]
    outcome_key: str
    outcomes: tuple[str, ...]
    require_fallback: bool = True
    #: Further keys every rule must carry, each with its allowed values: ``(("priority", ("tinggi", …)),)``.
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def fact_map(self) -> dict[str, Fact]:
        return {f.name: f for f in self.facts}


@dataclass(frozen=True)
class Condition:
    """``fact`` ``op`` ``value``, e.g. ``learning.n lt 10``."""

    fact: str
    op: str
    value: Any

    def holds(self, actual: Any) -> bool:
        """Whether the condition holds for the fact's value ``actual`` (None or NaN: no value)."""
        if self.op == "missing":
            return is_missing(actual) == bool(self.value)
        if self.op in ("contains", "not_contains"):
            values = () if is_missing(actual) else tuple(actual)
            return (self.value in values) == (self.op == "contains")
        if is_missing(actual):
            return False
        if self.op in ("in", "not_in"):
            return (actual in self.value) == (self.op == "in")
        if self.op in ("eq", "ne"):
            return (actual == self.value) == (self.op == "eq")
        a, v = float(actual), float(self.value)
        return {"lt": a < v, "le": a <= v, "gt": a > v, "ge": a >= v}[self.op]

    def to_dict(self) -> dict:
        return {"fact": self.fact, self.op: list(self.value) if isinstance(self.value, tuple) else self.value}


@dataclass(frozen=True)
class Rule:
    """One rule: its id, outcome, conditions (all must hold) and the reasons in both languages."""

    id: str
    outcome: str
    when: tuple[Condition, ...]
    reason_id: str
    reason_en: str
    note: str = ""
    extras: tuple[tuple[str, str], ...] = ()

    def extra(self, key: str) -> str | None:
        """The value of a further key the schema declares (:attr:`Schema.extras`), or None."""
        return dict(self.extras).get(key)


@dataclass(frozen=True)
class RuleSet:
    """A checked rule set, where it came from (``source``) and its text as written."""

    schema: Schema
    rules: tuple[Rule, ...]
    source: str
    text: str

    def to_dict(self) -> dict:
        """``{"source": …, "rules": [{"id", <outcome key>, "when", "reason_id", "reason_en"}, …]}``."""
        key = self.schema.outcome_key
        rules = []
        for r in self.rules:
            item = {"id": r.id, key: r.outcome, **dict(r.extras), "when": [c.to_dict() for c in r.when],
                    "reason_id": r.reason_id, "reason_en": r.reason_en}
            if r.note:
                item["note"] = r.note
            rules.append(item)
        return {"source": self.source, "rules": rules}


@dataclass(frozen=True)
class Match:
    """The rule that fired, its outcome, its filled reasons and each condition with the value it saw."""

    rule: Rule
    reason_id: str
    reason_en: str
    checks: tuple[tuple[Condition, Any], ...]

    @property
    def outcome(self) -> str:
        return self.rule.outcome

    def reason(self, lang: str = "id") -> str:
        return self.reason_en if lang == "en" else self.reason_id


def is_missing(value: Any) -> bool:
    """True for None and NaN (a fact without a value).

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("x")
    (True, True, False, False)
    """
    if value is None:
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:
        return False


# --------------------------------------------------------------------------- checking a rule set


class _Fail(Exception):
    """A problem in one field of one rule; turned into an ``AnalysisError`` by :func:`parse_rules`."""

    def __init__(self, field: str, id_text: str, en_text: str) -> None:
        super().__init__(en_text)
        self.field, self.id_text, self.en_text = field, id_text, en_text


def _invalid(where_id: str, where_en: str, problem: _Fail, details: dict) -> AnalysisError:
    return AnalysisError(
        "invalid_rules",
        f"Aturan tidak sah — {where_id}, isian '{problem.field}': {problem.id_text}",
        f"Invalid rules — {where_en}, field '{problem.field}': {problem.en_text}",
        details={**details, "field": problem.field},
    )


def _type_name(value: Any) -> str:
    return {bool: "yes/no", int: "number", float: "number", str: "text", list: "list", dict: "table"}.get(
        type(value), type(value).__name__)


def _check_value(fact: Fact, op: str, value: Any, where: str) -> Any:
    """The condition's value, checked against the fact's kind and choices (lists become tuples)."""
    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    def allowed_text(v):
        return isinstance(v, str) and (not fact.choices or v in fact.choices)

    def fail(expected_id: str, expected_en: str):
        shown = repr(value)
        choices = f" ({', '.join(fact.choices)})" if fact.choices and fact.kind in ("text", "list") else ""
        raise _Fail(where, f"'{fact.name}' {op} butuh {expected_id}{choices}, tertulis {shown}.",
                    f"'{fact.name}' {op} needs {expected_en}{choices}, found {shown}.")

    if op == "missing":
        if not isinstance(value, bool):
            fail("true atau false", "true or false")
        return value
    if op in ("in", "not_in"):
        single = number if fact.kind == "number" else allowed_text
        if not isinstance(value, list) or not value or not all(single(v) for v in value):
            fail("daftar nilai yang sah" if fact.kind == "text" else "daftar angka",
                 "a list of allowed values" if fact.kind == "text" else "a list of numbers")
        return tuple(value)
    if fact.kind == "number" and not number(value):
        fail("angka", "a number")
    if fact.kind == "bool" and not isinstance(value, bool):
        fail("true atau false", "true or false")
    if fact.kind in ("text", "list") and not allowed_text(value):
        fail("nilai yang sah", "an allowed value")
    return value


def _near(name: str, facts: Mapping[str, Fact]) -> list[str]:
    """The known facts most like ``name`` (else those of the same level, else all)."""
    close = difflib.get_close_matches(name, list(facts), n=4, cutoff=0.6)
    if close:
        return close
    prefix = name.split(".", 1)[0] + "."
    return [f for f in facts if f.startswith(prefix)] or list(facts)


def _conditions(raw: Any, facts: Mapping[str, Fact]) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        raise _Fail("when", f"harus daftar syarat, tertulis {_type_name(raw)}.",
                    f"must be a list of conditions, found {_type_name(raw)}.")
    out = []
    for j, item in enumerate(raw, start=1):
        where = f"when[{j}]"
        if not isinstance(item, dict):
            raise _Fail(where, "setiap syarat berbentuk { fact = \"…\", op = nilai }.",
                        "each condition looks like { fact = \"…\", op = value }.")
        name = item.get("fact")
        if not isinstance(name, str):
            raise _Fail(f"{where}.fact", "nama fakta wajib diisi.", "the fact's name is required.")
        if name not in facts:
            near = ", ".join(_near(name, facts))
            raise _Fail(f"{where}.fact", f"fakta '{name}' tidak dikenal; mungkin: {near}.",
                        f"unknown fact '{name}'; did you mean: {near}.")
        fact = facts[name]
        ops = [k for k in item if k != "fact"]
        if not ops:
            raise _Fail(where, f"syarat atas '{name}' tanpa operator ({', '.join(KIND_OPERATORS[fact.kind])}).",
                        f"the condition on '{name}' has no operator ({', '.join(KIND_OPERATORS[fact.kind])}).")
        for op in ops:
            if op not in KIND_OPERATORS[fact.kind]:
                raise _Fail(f"{where}.{op}",
                            f"operator '{op}' tidak berlaku untuk '{name}'; yang berlaku: "
                            f"{', '.join(KIND_OPERATORS[fact.kind])}.",
                            f"operator '{op}' does not apply to '{name}'; allowed: "
                            f"{', '.join(KIND_OPERATORS[fact.kind])}.")
            out.append(Condition(name, op, _check_value(fact, op, item[op], f"{where}.{op}")))
    return tuple(out)


def _reason(raw: Any, key: str, facts: Mapping[str, Fact]) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _Fail(key, "alasan wajib diisi: tidak ada rekomendasi tanpa alasan.",
                    "a reason is required: no recommendation without its reasons.")
    bare = raw.replace("{{", "").replace("}}", "")
    for name in _PLACEHOLDER.findall(bare):
        if name not in facts:
            near = ", ".join(_near(name, facts))
            raise _Fail(key, f"'{{{name}}}' bukan fakta yang dikenal; mungkin: {near}.",
                        f"'{{{name}}}' is not a known fact; did you mean: {near}.")
    if "{" in _PLACEHOLDER.sub("", bare) or "}" in _PLACEHOLDER.sub("", bare):
        raise _Fail(key, "kurung kurawal tidak berpasangan (tulis {{ atau }} untuk kurung biasa).",
                    "unbalanced braces (write {{ or }} for a literal brace).")
    return raw.strip()


def _rule(raw: Any, schema: Schema, facts: Mapping[str, Fact], seen: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise _Fail("rules", "setiap aturan adalah tabel [[rules]].", "each rule is a [[rules]] table.")
    allowed = (*RULE_KEYS, schema.outcome_key, *(k for k, _ in schema.extras))
    for key in raw:
        if key not in allowed:
            raise _Fail(key, f"kunci tidak dikenal; yang boleh: {', '.join(allowed)}.",
                        f"unknown key; allowed: {', '.join(allowed)}.")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise _Fail("id", "wajib diisi dengan huruf kecil, angka dan _ (mis. harm_learning).",
                    "required, in lower-case letters, digits and _ (e.g. harm_learning).")
    if rid in seen:
        raise _Fail("id", f"'{rid}' sudah dipakai aturan lain.", f"'{rid}' is used by another rule.")
    outcome = raw.get(schema.outcome_key)
    if outcome not in schema.outcomes:
        raise _Fail(schema.outcome_key, f"harus salah satu dari {', '.join(schema.outcomes)}, tertulis {outcome!r}.",
                    f"must be one of {', '.join(schema.outcomes)}, found {outcome!r}.")
    extras = []
    for key, choices in schema.extras:
        if raw.get(key) not in choices:
            raise _Fail(key, f"harus salah satu dari {', '.join(choices)}, tertulis {raw.get(key)!r}.",
                        f"must be one of {', '.join(choices)}, found {raw.get(key)!r}.")
        extras.append((key, raw[key]))
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _Fail("note", "harus teks.", "must be text.")
    return Rule(rid, outcome, _conditions(raw.get("when", []), facts), _reason(raw.get("reason_id"), "reason_id", facts),
                _reason(raw.get("reason_en"), "reason_en", facts), note.strip(), tuple(extras))


def _top_level(doc: dict, schema: Schema) -> list:
    for key in doc:
        if key not in ("rule_set", "rules"):
            raise _Fail(key, "kunci tidak dikenal di tingkat atas; yang boleh: rule_set, rules.",
                        "unknown top-level key; allowed: rule_set, rules.")
    if "rule_set" in doc and doc["rule_set"] != schema.name:
        raise _Fail("rule_set", f"berkas ini untuk '{doc['rule_set']}', bukan '{schema.name}'.",
                    f"this file is for '{doc['rule_set']}', not '{schema.name}'.")
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        raise _Fail("rules", "tidak ada aturan: tulis sedikitnya satu tabel [[rules]].",
                    "no rules: write at least one [[rules]] table.")
    return rules


def parse_rules(text: str, schema: Schema, source: str = "") -> RuleSet:
    """Read and check a rule set written in TOML.

    Parameters
    ----------
    text : str
        The TOML document (module docstring).
    schema : Schema
        The facts, outcome key and outcomes the rules may use.
    source : str
        Where the text came from (a file, a stored version), kept for display.

    Returns
    -------
    RuleSet

    Raises
    ------
    AnalysisError
        ``invalid_rules``, naming the rule (its id and position) and the field, e.g.
        ``when[2].fact``; ``details`` holds ``rule``, ``index`` and ``field``.

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number", style="int"),), "action", ("keep", "wait"))
    >>> text = '''
    ... [[rules]]
    ... id = "few"
    ... action = "wait"
    ... when = [{ fact = "n", lt = 10 }]
    ... reason_id = "Baru {n} data."
    ... reason_en = "Only {n} records."
    ... [[rules]]
    ... id = "enough"
    ... action = "keep"
    ... reason_id = "Cukup."
    ... reason_en = "Enough."
    ... '''
    >>> [r.id for r in parse_rules(text, schema).rules]
    ['few', 'enough']
    >>> parse_rules(text.replace('"n", lt', '"m", lt'), schema)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: Invalid rules — rule 'few' (no. 1), field 'when[1].fact': unknown fact 'm'; did you mean: n.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise AnalysisError("invalid_rules", f"Aturan tidak sah: bukan TOML yang benar ({err}).",
                            f"Invalid rules: not valid TOML ({err}).", details={"field": None}) from None
    try:
        raw_rules = _top_level(doc, schema)
    except _Fail as problem:
        raise _invalid("tingkat atas", "top level", problem, {"rule": None, "index": None}) from None
    facts, rules, seen = schema.fact_map, [], set()
    for i, raw in enumerate(raw_rules, start=1):
        rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        label_id = f"aturan '{rid}' (no. {i})" if rid else f"aturan no. {i}"
        label_en = f"rule '{rid}' (no. {i})" if rid else f"rule no. {i}"
        try:
            rule = _rule(raw, schema, facts, seen)
            if schema.require_fallback and not rule.when and i < len(raw_rules):
                raise _Fail("when", "aturan tanpa syarat hanya boleh di akhir: aturan sesudahnya tidak akan pernah dipakai.",
                            "a rule without conditions may only come last: the rules after it could never fire.")
            if schema.require_fallback and rule.when and i == len(raw_rules):
                raise _Fail("when", "aturan terakhir harus tanpa syarat (when = []), agar setiap kasus mendapat "
                                    "keputusan dan alasannya.",
                            "the last rule must have no conditions (when = []), so that every case gets an "
                            "outcome and its reasons.")
        except _Fail as problem:
            raise _invalid(label_id, label_en, problem, {"rule": rid, "index": i}) from None
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(schema, tuple(rules), source, text)


def read_rules(path: str | Path, schema: Schema) -> RuleSet:
    """:func:`parse_rules` of a file; ``AnalysisError("rules_unreadable")`` when it cannot be read.

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number"),), "action", ("keep",))
    >>> read_rules("tidak-ada.toml", schema)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The rules file 'tidak-ada.toml' cannot be read: not found.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnalysisError("rules_unreadable", f"Berkas aturan '{path}' tidak dapat dibaca: tidak ditemukan.",
                            f"The rules file '{path}' cannot be read: not found.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise AnalysisError("rules_unreadable", f"Berkas aturan '{path}' tidak dapat dibaca: {err}.",
                            f"The rules file '{path}' cannot be read: {err}.") from None
    return parse_rules(text, schema, source=str(path))


# --------------------------------------------------------------------------- evaluating


def write_value(fact: Fact, value: Any, lang: str = "id") -> str:
    """A fact's value as a reason writes it, in the reader's language; ``–`` without a value.

    Examples
    --------
    >>> write_value(Fact("p", "number", style="p"), 0.0004), write_value(Fact("d", "number"), -0.25, "en")
    ('< 0,001', '-0.25')
    >>> write_value(Fact("s", "text", labels={"increase": ("naik", "rose")}), "increase", "en")
    'rose'
    >>> write_value(Fact("year", "number", style="plain"), 2025)
    '2025'
    """
    if isinstance(value, (list, tuple)):
        return ", ".join(write_value(Fact(fact.name, "text", labels=fact.labels), v, lang) for v in value) or "–"
    if is_missing(value):
        return "–"
    if isinstance(value, bool):
        return ("ya" if value else "tidak") if lang != "en" else ("yes" if value else "no")
    if isinstance(value, str):
        words = fact.labels.get(value)
        return words[1 if lang == "en" else 0] if words else value
    if fact.style == "int":
        return fmt_int(value, lang)
    if fact.style == "p":
        return fmt_p(value, lang).removeprefix("p = ").removeprefix("p ")
    if fact.style == "pct":
        return fmt_pct(value, 0, lang)
    if fact.style == "plain":
        return str(int(round(float(value))))
    return fmt_number(value, fact.decimals, lang)


def fill_reason(template: str, facts: Mapping[str, Any], schema: Schema, lang: str = "id") -> str:
    """A reason with each ``{fact}`` replaced by :func:`write_value` of its value.

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number", style="int"),), "action", ("keep",))
    >>> fill_reason("Baru {n} data {{mentah}}.", {"n": 1234}, schema)
    'Baru 1.234 data {mentah}.'
    """
    known = schema.fact_map
    parts = template.split("{{")
    out = []
    for part in parts:
        pieces = part.split("}}")
        pieces = [_PLACEHOLDER.sub(lambda m: write_value(known[m.group(1)], facts.get(m.group(1)), lang), p)
                  for p in pieces]
        out.append("}".join(pieces))
    return "{".join(out)


def check_facts(facts: Mapping[str, Any], schema: Schema) -> None:
    """Refuse facts the schema does not know (a misspelt key is a bug, not a missing value).

    Examples
    --------
    >>> check_facts({"m": 1}, Schema("demo", (Fact("n", "number"),), "action", ("keep",)))
    Traceback (most recent call last):
    ...
    ValueError: facts must be named in schema 'demo', got unknown ['m']
    """
    if not isinstance(facts, Mapping):
        raise ValueError(f"facts must be a mapping, got {type(facts).__name__}")
    unknown = sorted(set(facts) - set(schema.fact_map))
    if unknown:
        raise ValueError(f"facts must be named in schema {schema.name!r}, got unknown {unknown}")


def evaluate(rule_set: RuleSet, facts: Mapping[str, Any]) -> Match | None:
    """The first rule of ``rule_set`` whose conditions all hold for ``facts``, with its reasons filled
    in; None when no rule holds (impossible with ``require_fallback``). A fact left out counts as
    having no value.

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number", style="int"),), "action", ("keep", "wait"))
    >>> rules = parse_rules('''
    ... [[rules]]
    ... id = "few"
    ... action = "wait"
    ... when = [{ fact = "n", lt = 10 }]
    ... reason_id = "Baru {n} data."
    ... reason_en = "Only {n} records."
    ... [[rules]]
    ... id = "enough"
    ... action = "keep"
    ... reason_id = "Cukup: {n} data."
    ... reason_en = "Enough: {n} records."
    ... ''', schema)
    >>> m = evaluate(rules, {"n": 4})
    >>> m.rule.id, m.outcome, m.reason_en
    ('few', 'wait', 'Only 4 records.')
    >>> evaluate(rules, {"n": None}).rule.id   # no value: "n < 10" does not hold
    'enough'
    """
    found = evaluate_all(rule_set, facts, first_only=True)
    return found[0] if found else None


def evaluate_all(rule_set: RuleSet, facts: Mapping[str, Any], *, first_only: bool = False) -> list[Match]:
    """Every rule of ``rule_set`` whose conditions all hold for ``facts``, in the rules' order, each
    with its reasons filled in (only the first with ``first_only``, which is :func:`evaluate`).

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number", style="int"),), "action", ("warn", "note"),
    ...                 require_fallback=False)
    >>> rules = parse_rules('''
    ... [[rules]]
    ... id = "few"
    ... action = "warn"
    ... when = [{ fact = "n", lt = 10 }]
    ... reason_id = "Baru {n} data."
    ... reason_en = "Only {n} records."
    ... [[rules]]
    ... id = "any"
    ... action = "note"
    ... when = [{ fact = "n", ge = 0 }]
    ... reason_id = "{n} data."
    ... reason_en = "{n} records."
    ... ''', schema)
    >>> [m.rule.id for m in evaluate_all(rules, {"n": 4})], [m.rule.id for m in evaluate_all(rules, {"n": 40})]
    (['few', 'any'], ['any'])
    """
    check_facts(facts, rule_set.schema)
    out = []
    for rule in rule_set.rules:
        checks = tuple((c, facts.get(c.fact)) for c in rule.when)
        if all(c.holds(v) for c, v in checks):
            out.append(Match(rule, fill_reason(rule.reason_id, facts, rule_set.schema, "id"),
                             fill_reason(rule.reason_en, facts, rule_set.schema, "en"), checks))
            if first_only:
                break
    return out


def _bound(value: Any, lang: str) -> str:
    """A condition's value as written in the rule: text as is, numbers with the decimals they have."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if not float(value).is_integer() else 0
        return fmt_number(value, min(decimals, 6), lang)
    return str(value)


def condition_text(condition: Condition, schema: Schema, actual: Any = None, *, lang: str = "id",
                   with_value: bool = False) -> str:
    """A condition as people read it, e.g. ``learning.n < 10`` (and ``(8)`` with ``with_value``).

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number", style="int"),), "action", ("keep",))
    >>> condition_text(Condition("n", "lt", 10), schema, 8, with_value=True)
    'n < 10 (8)'
    >>> condition_text(Condition("n", "missing", True), schema, lang="en")
    'n has no value'
    """
    fact = schema.fact_map[condition.fact]
    if condition.op == "missing":
        empty = bool(condition.value)
        words = {("id", True): "tanpa nilai", ("id", False): "ada nilainya", ("en", True): "has no value",
                 ("en", False): "has a value"}
        text = f"{condition.fact} {words[('en' if lang == 'en' else 'id', empty)]}"
    else:
        value = condition.value
        if isinstance(value, tuple):
            shown = "[" + ", ".join(_bound(v, lang) for v in value) + "]"
        else:
            shown = _bound(value, lang)
        text = f"{condition.fact} {OPERATORS[condition.op]} {shown}"
    if with_value:
        text += f" ({write_value(fact, actual, lang)})"
    return text


def rule_table(rule_set: RuleSet, lang: str = "id") -> list[dict[str, str]]:
    """The rules as rows for a table: position, id, outcome, conditions (joined by "dan"/"and") and
    the reason template.

    Examples
    --------
    >>> schema = Schema("demo", (Fact("n", "number"),), "action", ("keep",))
    >>> rules = parse_rules('[[rules]]\\nid = "all"\\naction = "keep"\\nreason_id = "Ya."\\nreason_en = "Yes."', schema)
    >>> rule_table(rules, "en")
    [{'no': '1', 'id': 'all', 'action': 'keep', 'when': '(always)', 'reason': 'Yes.'}]
    """
    joiner = " and " if lang == "en" else " dan "
    always = "(always)" if lang == "en" else "(selalu)"
    rows = []
    for i, r in enumerate(rule_set.rules, start=1):
        when = joiner.join(condition_text(c, rule_set.schema, lang=lang) for c in r.when) or always
        rows.append({"no": str(i), "id": r.id, rule_set.schema.outcome_key: r.outcome, **dict(r.extras),
                     "when": when, "reason": r.reason_en if lang == "en" else r.reason_id})
    return rows

