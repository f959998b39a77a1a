"""Bring rule files to medspaCy's own shapes (TargetRule, ConTextRule, SectionRule JSON).

medspaCy's ``TargetRule.from_json``, ``ConTextRule.from_json`` and ``SectionRule.from_json`` accept
only their constructor's keys (``literal``, ``category``, ``pattern``, ``direction``, ``max_scope``,
``allowed_types``, ``excluded_types``, ``metadata`` ...). reportnlp's own fields live under
``metadata``: the rule ``id`` always, a target's label-logic values (the former ``meta``), a
``comment``, and a cue's ``terminated_by`` (ConTextRule's constructor takes it, ``from_json`` refuses it;
reportnlp hands it to the constructor when it builds medspaCy's rules). Older rule files (``id`` /
``concept`` / ``meta`` at the top of a rule, section rules with a list of ``literals``, a top-level
``terminated_by``; ``change.json`` too) are upgraded rule by rule on load, so a user's ``--patterns``
folder keeps working; this module also rewrites a folder in place, and is safe to run again::

    python -m reportnlp.nlp.rule_shapes --upgrade patterns/

The rewrite touches only the rule lines of files laid out one rule per line (as shipped), so the
rest of each file (and its diff) stays as it was. Nothing here imports spaCy or medspaCy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# file -> the list of rules in it
RULE_LISTS = {"targets.json": "target_rules", "context.json": "context_rules", "sections.json": "section_rules",
              "change.json": "context_rules"}
_CONTEXT_KEYS = ("direction", "pattern", "max_scope", "max_targets", "allowed_types", "excluded_types")
CONTEXT_METADATA = ("terminated_by",)  # ConTextRule keys that medspaCy's from_json refuses: kept under metadata


def needs_upgrade(rule: Any) -> bool:
    """True for a rule in an older shape: reportnlp's former one, or a cue with ``terminated_by`` at the top."""
    return is_old(rule) or (isinstance(rule, dict) and isinstance(rule.get("metadata"), dict)
                            and any(key in rule for key in CONTEXT_METADATA))


def is_old(rule: Any) -> bool:
    """True for a rule in reportnlp's former shape (anything else is left to validation)."""
    own = {"id", "concept", "meta", "literals", "comment"}
    return isinstance(rule, dict) and "metadata" not in rule and bool(own & rule.keys())


def upgrade_target(rule: Any) -> Any:
    """``{id, concept, literal|pattern, meta}`` -> ``{literal, category, pattern, metadata: {id, **meta}}``."""
    if not is_old(rule):
        return rule
    rest = {k: v for k, v in rule.items() if k not in ("id", "concept", "literal", "pattern", "meta", "comment")}
    out: dict[str, Any] = {}
    if "literal" in rule or ("pattern" in rule and "id" in rule):
        out["literal"] = rule.get("literal", rule.get("id"))  # medspaCy needs a literal: the name of a pattern rule
    if "concept" in rule:
        out["category"] = rule["concept"]
    if "pattern" in rule:
        out["pattern"] = rule["pattern"]
    out.update(rest)  # unknown keys stay, so validation names them
    metadata = {"id": rule["id"]} if "id" in rule else {}
    meta = rule.get("meta", {})
    metadata.update(meta if isinstance(meta, dict) else {"meta": meta})
    if "comment" in rule:
        metadata["comment"] = rule["comment"]
    out["metadata"] = metadata
    return out


def upgrade_context(rule: Any) -> Any:
    """``{id, category, direction, literal|pattern, ..., comment}`` -> ConTextRule JSON with ``metadata``
    (which holds ``terminated_by`` too, in an old rule or a new one)."""
    if not needs_upgrade(rule):
        return rule
    if not is_old(rule):
        moved = {key: rule[key] for key in CONTEXT_METADATA if key in rule}
        return {**{k: v for k, v in rule.items() if k not in moved}, "metadata": {**rule["metadata"], **moved}}
    out: dict[str, Any] = {}
    if "literal" in rule or ("pattern" in rule and "id" in rule):
        out["literal"] = rule.get("literal", rule.get("id"))
    if "category" in rule:
        out["category"] = rule["category"]
    for key in _CONTEXT_KEYS:
        if key in rule:
            out[key] = rule[key]
    own = ("id", "comment", *CONTEXT_METADATA)
    out.update({k: v for k, v in rule.items() if k not in out and k not in own})
    metadata = {k: rule[k] for k in own if k in rule}
    out["metadata"] = metadata
    return out


def upgrade_section(rule: Any) -> list[Any]:
    """``{id, category, literals: [...], in_notes, narrative}`` -> one SectionRule per literal."""
    if not is_old(rule):
        return [rule]
    metadata = {k: rule[k] for k in ("id", "in_notes", "narrative", "comment") if k in rule}
    rest = {k: v for k, v in rule.items() if k not in ("id", "category", "literals", "in_notes", "narrative", "comment")}
    literals = rule.get("literals")
    if not isinstance(literals, list) or not literals:
        return [{**({"category": rule["category"]} if "category" in rule else {}), **rest, "metadata": metadata}]
    return [
        {"literal": lit, **({"category": rule["category"]} if "category" in rule else {}), **rest, "metadata": metadata}
        for lit in literals
    ]


def upgrade_rules(file: str, rules: Any) -> Any:
    """The rule list of ``file`` in medspaCy's shape (a new list; rules already new are kept as they are)."""
    if not isinstance(rules, list):
        return rules
    if file == "sections.json":
        return [new for rule in rules for new in upgrade_section(rule)]
    upgrade = upgrade_target if file == "targets.json" else upgrade_context  # context.json, change.json
    return [upgrade(rule) for rule in rules]


def upgrade_document(file: str, doc: Any) -> Any:
    """A parsed rule file with its rule list upgraded (other files and keys unchanged)."""
    key = RULE_LISTS.get(file)
    if key is None or not isinstance(doc, dict) or key not in doc:
        return doc
    rules = doc[key]
    if not isinstance(rules, list) or not any(needs_upgrade(r) for r in rules):
        return doc
    return {**doc, key: upgrade_rules(file, rules)}


# The shipped files' descriptions of the former shape, and what they say now.
_DESCRIPTIONS = {
    "(medspaCy TargetRule shape plus 'id' and 'meta')":
        "(medspaCy TargetRule JSON; the rule id and label values under 'metadata')",
    "(medspaCy ConTextRule shape plus 'id')": "(medspaCy ConTextRule JSON; the rule id under 'metadata')",
}


def _dump(rule: Any) -> str:
    return json.dumps(rule, ensure_ascii=False)


def upgrade_text(file: str, text: str) -> str:
    """The file's text with its rules upgraded, keeping the one-rule-per-line layout where it is used."""
    key = RULE_LISTS[file]
    doc = json.loads(text)
    if upgrade_document(file, doc) is doc:
        return text
    lines = text.split("\n")
    opener = f' "{key}": ['
    try:
        first = lines.index(opener) + 1
        last = next(i for i in range(first, len(lines)) if lines[i].strip() in ("]", "],"))
        parsed = [json.loads(line.strip().rstrip(",")) for line in lines[first:last]]
    except (ValueError, StopIteration):
        parsed = None
    if parsed is None or parsed != doc[key]:  # another layout: write the whole file
        return json.dumps(upgrade_document(file, doc), ensure_ascii=False, indent=1) + "\n"
    new = upgrade_rules(file, parsed)
    body = [f"  {_dump(rule)}," for rule in new]
    body[-1] = body[-1].rstrip(",")
    head = lines[:first]
    for old, new in _DESCRIPTIONS.items():
        head = [line.replace(old, new) if line.startswith(' "description": ') else line for line in head]
    out = "\n".join([*head, *body, *lines[last:]])
    expected = upgrade_document(file, doc)
    got = json.loads(out)
    if {k: v for k, v in got.items() if k != "description"} != {k: v for k, v in expected.items() if k != "description"}:
        raise ValueError(f"{file}: the line-wise rewrite changed more than the rules")  # pragma: no cover
    return out


def upgrade_folder(folder: str | Path) -> list[str]:
    """Rewrite the rule files of ``folder`` in medspaCy's shapes; returns the names of files changed."""
    changed = []
    for name in RULE_LISTS:
        path = Path(folder) / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        new = upgrade_text(name, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportnlp.nlp.rule_shapes", description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", metavar="DIR", required=True, help="rewrite the rule files of DIR in place")
    args = parser.parse_args(argv)
    changed = upgrade_folder(args.upgrade)
    sys.stderr.write(f"upgraded: {', '.join(changed)}\n" if changed else "already in medspaCy's shapes\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
