"""Locate, load and validate the rule files in `patterns/`.

Rule files are user input (``--patterns DIR``), so every problem is reported as one
:class:`RuleError` naming the file, the rule and the reason: a file that is not a regular file or
is over 10 MB, bad JSON or a duplicate key, a regex RE2 cannot compile
(:mod:`reportnlp.nlp.safe_regex`). Nothing here imports spaCy:
the CLI can validate a rule folder before paying for the NLP stack.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from re2 import _re2 as _re2_module

from reportnlp.nlp.cache_dir import cache_folder, retire_older
from reportnlp.nlp.change_rules import validate_change
from reportnlp.nlp.codes import codes_problem, modality_codes_problem
from reportnlp.nlp.date_rules import validate_date_rules
from reportnlp.nlp.rule_checks import (
    DIRECTIONS,
    RuleError,
    check_keys,
    check_medspacy_rules,
    check_rules,
    check_string_list,
    check_type_lists,
    compile_regex,
    rule_id,
)
from reportnlp.nlp.rule_shapes import upgrade_document
from reportnlp.nlp.rule_ties import check_token_ties

RULE_FILES = ("targets.json", "context.json", "sections.json", "anatomy.json", "patient.json", "prevalence.json",
              "change.json", "report_date.json")
ASSERTIONS = ("present", "possible", "absent", "historical", "hypothetical", "family")
ANATOMY_KINDS = ("level", "bone", "organ", "region", "joint", "laterality", "mask")
MAX_RULE_FILE_BYTES = 10_000_000  # the built-in rules are about 200 kB


@dataclass(frozen=True)
class RuleSet:
    """Everything the pipeline needs from `patterns/`, already validated."""

    directory: str
    targets: dict[str, Any]
    context: dict[str, Any]
    sections: dict[str, Any]
    anatomy: dict[str, Any]
    patient: dict[str, Any]
    prevalence: dict[str, Any]
    sha256: str
    change: dict[str, Any] = field(default_factory=dict)
    report_date: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)  # each file as read

    @property
    def concepts(self) -> dict[str, dict[str, Any]]:
        return self.targets["concepts"]


def builtin_patterns_dir() -> Path:
    """The rules shipped with the package (the top-level `patterns/` of the source tree)."""
    try:
        root = resources.files("reportnlp.patterns")
    except ModuleNotFoundError:  # running from a source checkout that was never installed
        return Path(__file__).resolve().parents[2] / "patterns"
    # `patterns/` has no __init__.py, so installed it is a namespace package and files() gives a
    # MultiplexedPath, whose str() is not a path; a file inside it resolves to a real one.
    return Path(str(root.joinpath(RULE_FILES[0]))).parent


# Validated rule sets by (folder, SHA-256 of the files' bytes): a command loads its rules three times
# (the CLI's check, the Extractor, the components), and validating compiles every regex twice.
# Keyed by content, so an edited file is validated again; the RuleSet is frozen and its users only read it.
_VALIDATED: OrderedDict[tuple[str, str], RuleSet] = OrderedDict()
_VALIDATED_KEEP = 8
# Across processes, a rule folder whose bytes passed validation once is remembered on disk: an empty
# file named by the SHA-256 of those bytes, of the code that checks them (these modules) and of the
# Python and RE2 builds, so the next run parses it without checking it again (about 45 ms of a
# one-report run). Only success is remembered, and any change to the rules or to the checks gives a
# new name. REPORTNLP_CACHE_DIR names the folder (default $XDG_CACHE_HOME/reportnlp, else
# ~/.cache/reportnlp); set empty, nothing is read or written.
_CHECKING_MODULES = ("rules.py", "safe_regex.py", "rule_shapes.py", "change_rules.py", "date_rules.py", "codes.py",
                     "rule_checks.py", "rule_ties.py")


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate every rule file of a folder (the built-in one when None).

    The files are read every time; bytes validated before (in this process, or recorded by an
    earlier one) give their RuleSet without being checked anew."""
    folder = Path(directory) if directory else builtin_patterns_dir()
    if not folder.is_dir():
        raise RuleError(str(folder), None, "patterns folder not found")
    return rules_from_files({name: _read_rule_file(folder, name) for name in RULE_FILES}, str(folder))


def rules_from_files(files: dict[str, bytes], directory: str) -> RuleSet:
    """Validate rule files given as bytes (``RuleSet.files``: a saved pipeline carries them);
    ``directory`` says where they came from. Bytes validated before (in this process, or recorded by
    an earlier one) give their RuleSet without being checked anew."""
    digest = hashlib.sha256()
    for name in RULE_FILES:
        raw = files.get(name)
        if raw is None:
            raise RuleError(name, None, "missing")
        if len(raw) > MAX_RULE_FILE_BYTES:
            raise RuleError(name, None, f"larger than {MAX_RULE_FILE_BYTES:,} bytes")
        digest.update(name.encode() + b"\0" + raw)
    key = (directory, digest.hexdigest())
    if key in _VALIDATED:
        _VALIDATED.move_to_end(key)
        return _VALIDATED[key]
    marker = validation_marker(key[1])
    checked = marker is not None and marker.is_file()
    ruleset = _ruleset(directory, files, key[1], check=not checked)
    if marker is not None and not checked:
        record_marker(marker)
    _VALIDATED[key] = ruleset
    while len(_VALIDATED) > _VALIDATED_KEEP:
        _VALIDATED.popitem(last=False)
    return ruleset


def record_marker(marker: Path) -> None:
    """Leave the empty file that records a check passed; a cache that cannot be written is only a slower next run."""
    with suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        retire_older(marker)


def validation_marker(sha256: str) -> Path | None:
    """The file that records that rule files with this SHA-256 passed validation, or None (no cache)."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(sha256.encode())
    try:
        for name in _CHECKING_MODULES:
            digest.update((Path(__file__).parent / name).read_bytes())
        built = Path(_re2_module.__file__ or "").stat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    digest.update(f"{sys.version}\0{built.st_size}\0{built.st_mtime_ns}".encode())
    return folder / f"rules-valid-{digest.hexdigest()}"


def _ruleset(folder: str, files: dict[str, bytes], sha256: str, *, check: bool) -> RuleSet:
    data: dict[str, Any] = {}
    for name in RULE_FILES:
        raw = files[name]
        try:
            data[name] = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys(name))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RuleError(name, None, f"not valid JSON ({exc})") from None
        if not isinstance(data[name], dict):
            raise RuleError(name, None, "top level must be a JSON object")
        data[name] = upgrade_document(name, data[name])  # a folder in reportnlp's older rule shape
    if check:
        _check(data)
    return RuleSet(
        directory=folder,
        targets=data["targets.json"],
        context=data["context.json"],
        sections=data["sections.json"],
        anatomy=data["anatomy.json"],
        patient=data["patient.json"],
        prevalence=data["prevalence.json"],
        sha256=sha256,
        change=data["change.json"],
        report_date=data["report_date.json"],
        files={name: files[name] for name in RULE_FILES},
    )


def _check(data: dict[str, Any]) -> None:
    targets = data["targets.json"]
    _validate_targets(targets)
    _validate_context(data["context.json"], set(targets["concepts"]))
    _validate_sections(data["sections.json"])
    _validate_anatomy(data["anatomy.json"])
    _validate_patient(data["patient.json"])
    _validate_prevalence(data["prevalence.json"], targets)
    validate_change(data["change.json"], set(targets["concepts"]))
    validate_date_rules(data["report_date.json"])
    check_token_ties("targets.json", targets["target_rules"])
    check_token_ties("context.json", data["context.json"]["context_rules"])
    check_token_ties("change.json", data["change.json"]["context_rules"])


# --- shared checks -------------------------------------------------------------------------------


def _no_duplicate_keys(file: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise RuleError(file, None, f"not valid JSON (duplicate key {json.dumps(key)})")
            out[key] = value
        return out

    return build


def _read_rule_file(folder: Path, name: str) -> bytes:
    """The bytes of a rule file: a regular file (after symlinks) of at most MAX_RULE_FILE_BYTES; a
    FIFO or a device (a symlink to /dev/zero) is refused without being read."""
    path = folder / name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RuleError(name, None, f"cannot read ({exc.strerror or exc.__class__.__name__})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RuleError(name, None, "not a regular file")
        if info.st_size > MAX_RULE_FILE_BYTES:
            raise RuleError(name, None, f"larger than {MAX_RULE_FILE_BYTES:,} bytes")
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(MAX_RULE_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleError(name, None, f"cannot read ({exc.strerror or exc.__class__.__name__})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_RULE_FILE_BYTES:  # it grew while being read
        raise RuleError(name, None, f"larger than {MAX_RULE_FILE_BYTES:,} bytes")
    return raw


def _token_pattern(file: str, rule: str, pattern: Any) -> None:
    if not isinstance(pattern, list) or not pattern:
        raise RuleError(file, rule, "'pattern' must be a non-empty list of token dicts")
    for tok in pattern:
        if not isinstance(tok, dict):
            raise RuleError(file, rule, "'pattern' items must be token dicts")
        for value in tok.values():
            if isinstance(value, dict) and "REGEX" in value:
                compile_regex(file, rule, value["REGEX"])


# --- per-file checks -----------------------------------------------------------------------------


def _validate_targets(doc: dict[str, Any]) -> None:
    f = "targets.json"
    check_keys(f, None, doc, {"name", "version", "concepts", "target_rules"}, {"description", "links"})
    links = doc.get("links", {})
    check_keys(f, "links", links, set(), {"pathologic_cause_after", "pathologic_cause_before", "pathologic_cause_after_dash"})
    for key, cues in links.items():
        check_string_list(f, f"links.{key}", cues)
    concepts = doc["concepts"]
    if not isinstance(concepts, dict) or not concepts:
        raise RuleError(f, None, "'concepts' must be a non-empty object")
    for name, spec in concepts.items():
        check_keys(f, f"concept {name}", spec, {"group", "description"},
              {"lesion_pattern", "degenerative", "codes", "modality_codes", "presses_on"})
        if "codes" in spec and (problem := codes_problem(spec["codes"])) is not None:
            raise RuleError(f, f"concept {name}", problem)
        if "modality_codes" in spec and (problem := modality_codes_problem(spec["modality_codes"])) is not None:
            raise RuleError(f, f"concept {name}", problem)
        if not isinstance(spec.get("presses_on", False), bool):
            raise RuleError(f, f"concept {name}", "'presses_on' must be true or false")

    def check(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"literal", "category", "metadata"}, {"pattern"})
        if rule["category"] not in concepts:
            raise RuleError(f, rid, f"unknown concept '{rule['category']}' (the rule's 'category')")
        if not (isinstance(rule["literal"], str) and rule["literal"].strip()):
            raise RuleError(f, rid, "'literal' must be a non-empty string")
        if "pattern" in rule:
            _token_pattern(f, rid, rule["pattern"])
        also = rule["metadata"].get("also")
        if also is not None:
            check_string_list(f, rid, also, concepts)

    check_medspacy_rules(f, doc, "target_rules", check)


def _validate_context(doc: dict[str, Any], concepts: set[str]) -> None:
    f = "context.json"
    optional = {"description", "precedence", "by_concept", "templated_values", "default_max_scope", "frame_cues"}
    check_keys(f, None, doc, {"name", "version", "categories", "context_rules"}, optional)
    default_scope = doc.get("default_max_scope")
    if default_scope is not None and (type(default_scope) is not int or default_scope <= 0):
        raise RuleError(f, None, "'default_max_scope' must be a positive integer")
    for assertion, words in doc.get("templated_values", {}).items():
        if assertion not in ASSERTIONS:
            raise RuleError(f, f"templated_values {assertion}", "not an assertion")
        check_string_list(f, f"templated_values {assertion}", words)
    categories = doc["categories"]
    for concept, mapping in doc.get("by_concept", {}).items():
        if concept not in concepts:
            raise RuleError(f, f"by_concept {concept}", "unknown concept")
        for cat, assertion in mapping.items():
            if cat not in categories or assertion not in ASSERTIONS:
                raise RuleError(f, f"by_concept {concept}", f"'{cat}' -> '{assertion}' is not category -> assertion")
    if not isinstance(categories, dict):
        raise RuleError(f, None, "'categories' must map category to assertion (or null)")
    for cat, assertion in categories.items():
        if assertion is not None and assertion not in ASSERTIONS:
            raise RuleError(f, f"category {cat}", f"assertion must be one of {', '.join(ASSERTIONS)} or null")
    check_string_list(f, "precedence", doc.get("precedence", list(ASSERTIONS)), ASSERTIONS)
    upper = {c.upper() for c in concepts}

    def check(rid: str, rule: dict[str, Any]) -> None:
        check_keys(
            f,
            rid,
            rule,
            {"literal", "category", "direction", "metadata"},
            {"pattern", "max_scope", "allowed_types", "excluded_types"},
        )
        if rule["category"] not in categories:
            raise RuleError(f, rid, f"category '{rule['category']}' is not declared in 'categories'")
        if rule["direction"] not in DIRECTIONS:
            raise RuleError(f, rid, f"direction must be one of {', '.join(DIRECTIONS)}")
        if not (isinstance(rule["literal"], str) and rule["literal"].strip()):
            raise RuleError(f, rid, "'literal' must be a non-empty string")
        if "pattern" in rule:
            _token_pattern(f, rid, rule["pattern"])
        scope = rule.get("max_scope")
        if scope is not None and (not isinstance(scope, int) or scope <= 0):
            raise RuleError(f, rid, "'max_scope' must be a positive integer")
        check_type_lists(f, rid, rule, upper)
        if "terminated_by" in rule["metadata"]:  # medspaCy's from_json refuses it at the top (rule_shapes.py)
            check_string_list(f, rid, rule["metadata"]["terminated_by"], categories)

    check_medspacy_rules(f, doc, "context_rules", check)
    _validate_frames(f, doc.get("frame_cues", []), categories, upper)


def _validate_frames(f: str, frames: Any, categories: dict[str, Any], upper: set[str]) -> None:
    """``frame_cues``: cues read from the words right before and / or after a mention (assertion.py)."""
    if not isinstance(frames, list):
        raise RuleError(f, None, "'frame_cues' must be a list")
    seen: set[str] = set()
    for frame in frames:
        rid = frame.get("id") if isinstance(frame, dict) else None
        if not (isinstance(rid, str) and rid) or rid in seen:
            raise RuleError(f, None, "every frame cue needs a unique non-empty string 'id'")
        seen.add(rid)
        check_keys(f, rid, frame, {"id", "category"}, {"before", "after", "allowed_types", "excluded_types", "comment"})
        if frame["category"] not in categories or categories[frame["category"]] is None:
            raise RuleError(f, rid, f"category '{frame['category']}' is not a declared category with an assertion")
        if "before" not in frame and "after" not in frame:
            raise RuleError(f, rid, "a frame cue needs 'before', 'after' or both")
        for key in ("before", "after"):
            if key in frame:
                compile_regex(f, rid, frame[key], re.IGNORECASE)
        check_type_lists(f, rid, frame, upper)


def _validate_sections(doc: dict[str, Any]) -> None:
    f = "sections.json"
    check_keys(f, None, doc, {"name", "version", "categories", "section_rules"},
               {"description", "document_types", "study_labels", "system_labels", "label_rules", "mixed_case_glued",
                "copied_forward", "same_as_before", "superseded_preliminary", "copy_list"})
    if "superseded_preliminary" in doc:
        check_keys(f, "superseded_preliminary", doc["superseded_preliminary"], {"preliminary", "final"}, {"description"})
        check_string_list(f, "superseded_preliminary", doc["superseded_preliminary"]["preliminary"])
        check_string_list(f, "superseded_preliminary", doc["superseded_preliminary"]["final"])
    if "same_as_before" in doc:
        check_keys(f, "same_as_before", doc["same_as_before"], {"headers", "before", "pattern"}, {"description"})
        check_string_list(f, "same_as_before", doc["same_as_before"]["headers"])
        check_string_list(f, "same_as_before", doc["same_as_before"]["before"])
        compile_regex(f, "same_as_before", doc["same_as_before"]["pattern"], re.IGNORECASE)
    if "copied_forward" in doc:
        check_keys(f, "copied_forward", doc["copied_forward"], {"pattern"}, {"description"})
        compile_regex(f, "copied_forward", doc["copied_forward"]["pattern"], re.IGNORECASE | re.MULTILINE)
    if "mixed_case_glued" in doc:
        check_keys(f, "mixed_case_glued", doc["mixed_case_glued"], {"words"}, {"description"})
        check_string_list(f, "mixed_case_glued", doc["mixed_case_glued"]["words"])
    if "study_labels" in doc:
        check_keys(f, "study_labels", doc["study_labels"], {"words"}, {"description"})
        check_string_list(f, "study_labels", doc["study_labels"]["words"])
    cats = doc["categories"]
    if not isinstance(cats, dict):
        raise RuleError(f, None, "'categories' must map section name to {'counts': bool}")
    if "system_labels" in doc:
        check_keys(f, "system_labels", doc["system_labels"], {"words", "continue"}, {"description"})
        check_string_list(f, "system_labels", doc["system_labels"]["words"])
        check_string_list(f, "system_labels", doc["system_labels"]["continue"])
        unknown = sorted(set(doc["system_labels"]["continue"]) - set(cats))
        if unknown:
            raise RuleError(f, "system_labels", f"'continue' names unknown categories: {', '.join(unknown)}")
    if "copy_list" in doc:
        copy_list = doc["copy_list"]
        check_keys(f, "copy_list", copy_list, {"headers", "recipient", "category"}, {"description"})
        check_string_list(f, "copy_list", copy_list["headers"])
        compile_regex(f, "copy_list", copy_list["recipient"], re.MULTILINE)
        if copy_list["category"] not in cats:
            raise RuleError(f, "copy_list", f"'category' names an unknown category: {copy_list['category']}")
    if "label_rules" in doc:
        check_keys(f, "label_rules", doc["label_rules"], {"rules"}, {"description"})
        for rule in doc["label_rules"]["rules"]:
            rid = str(rule.get("id")) if isinstance(rule, dict) else "label_rules"
            check_keys(f, rid, rule, {"id", "pattern", "category"}, {"in_notes", "unless", "comment"})
            for key in ("pattern", "unless"):
                if key in rule:
                    compile_regex(f, rid, rule[key], re.IGNORECASE)
            for key in ("category", "in_notes"):
                if key in rule and rule[key] not in cats:
                    raise RuleError(f, rid, f"unknown section category '{rule[key]}' ({key})")
    for name, spec in cats.items():
        optional = {"modalities", "done_cues", "labels_continue", "bullets_under"}
        check_keys(f, f"category {name}", spec, {"counts", "description"}, optional)
        for key in ("done_cues", "bullets_under"):
            if key in spec:
                check_string_list(f, f"category {name}", spec[key])
    headers: set[str] = set()
    groups: dict[str, tuple[Any, ...]] = {}

    def check(rid: str, rule: dict[str, Any]) -> None:
        # One SectionRule per header; the rules of one id are one group (same category and metadata).
        check_keys(f, rid, rule, {"literal", "category", "metadata"}, set())
        meta = rule["metadata"]
        check_keys(f, rid, meta, {"id"}, {"comment", "in_notes", "narrative", "ends_at_label", "results_on_line"})
        for flag in ("ends_at_label", "results_on_line"):
            if not isinstance(meta.get(flag, False), bool):
                raise RuleError(f, rid, f"'{flag}' must be true or false")
        named = (("category", rule["category"]), ("in_notes", meta.get("in_notes")), ("narrative", meta.get("narrative")))
        for key, value in named:
            if value is not None and value not in cats:
                raise RuleError(f, rid, f"unknown section category '{value}' ({key})")
        if not (isinstance(rule["literal"], str) and rule["literal"].strip()):
            raise RuleError(f, rid, "'literal' must be a non-empty string")
        group = (rule["category"], meta.get("in_notes"), meta.get("narrative"))
        if groups.setdefault(rid, group) != group:
            raise RuleError(f, rid, "rules of one id must share category, in_notes and narrative")
        headers.add(" ".join(rule["literal"].lower().split()))

    check_medspacy_rules(f, doc, "section_rules", check, unique=False)
    if "document_types" in doc:
        types = doc["document_types"]
        check_keys(f, "document_types", types, {"default", "types"},
              {"description", "narrative_chars", "preamble", "imaging_words", "imaging_patterns", "letter_salutation"})
        if "letter_salutation" in types:
            check_keys(f, "letter_salutation", types["letter_salutation"], {"pattern"}, {"comment", "body_headers"})
            check_string_list(f, "letter_salutation", types["letter_salutation"].get("body_headers", []))
            compile_regex(f, "letter_salutation", types["letter_salutation"]["pattern"], re.IGNORECASE | re.MULTILINE)
        if "imaging_words" in types:
            check_string_list(f, "document_types", types["imaging_words"])
        for pattern in types.get("imaging_patterns", []):
            compile_regex(f, "document_types", pattern, re.IGNORECASE)
        for t in types["types"]:
            check_keys(f, "document_types", t, {"type"},
                  {"headers", "patterns", "line_labels", "min_labels", "min_headers", "unless_imaging", "comment"})
            for pattern in t.get("patterns", []):
                compile_regex(f, t["type"], pattern, re.IGNORECASE)
            for label, category in t.get("line_labels", {}).items():
                if category not in cats:
                    raise RuleError(f, t["type"], f"unknown section category '{category}' (line label '{label}')")
            check_string_list(f, t["type"], t.get("headers", []) or ["-"])
            unknown = {h for h in t.get("headers", []) if " ".join(h.lower().split()) not in headers}
            if unknown:
                raise RuleError(f, t["type"], f"document type cue(s) that are not section headers: {', '.join(sorted(unknown))}")


def _validate_anatomy(doc: dict[str, Any]) -> None:
    f = "anatomy.json"
    check_keys(f, None, doc, {"name", "version", "anatomy_rules"},
               {"description", "all_levels", "sequences", "anaphora", "references", "joint_bones"})
    if "joint_bones" in doc:
        check_keys(f, "joint_bones", doc["joint_bones"], {"joints"}, {"comment"})
        bones = {r.get("value") for r in doc.get("anatomy_rules", []) if isinstance(r, dict) and r.get("kind") == "bone"}
        for joint, names in doc["joint_bones"]["joints"].items():
            if not isinstance(names, list) or not all(isinstance(n, str) and n in bones for n in names):
                raise RuleError(f, "joint_bones", f"{joint}: a list of bone values of anatomy_rules is wanted")
    for key in ("all_levels", "sequences", "anaphora", "references"):
        if key in doc:
            check_keys(f, key, doc[key], {"id", "regex"}, {"comment"})
            compile_regex(f, key, doc[key]["regex"], re.IGNORECASE)

    def check(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"id", "kind", "regex"}, {"value", "region", "bone_exam", "comment", "metadata"})
        if rule["kind"] not in ANATOMY_KINDS:
            raise RuleError(f, rid, f"kind must be one of {', '.join(ANATOMY_KINDS)}")
        if not isinstance(rule.get("bone_exam", False), bool):
            raise RuleError(f, rid, "bone_exam must be true or false")
        compile_regex(f, rid, rule["regex"], re.IGNORECASE)
        if "metadata" in rule:
            _validate_anatomy_metadata(rid, rule)

    check_rules(f, doc, "anatomy_rules", check)


def _validate_anatomy_metadata(rid: str, rule: dict[str, Any]) -> None:
    """An anatomy rule's ``metadata`` (medspaCy's place for a rule's own values): ``slip_words``, on a level rule,
    the regex of the words that say one vertebra slipped on the next (``locations.AnatomyFinder``)."""
    f = "anatomy.json"
    metadata = rule["metadata"]
    check_keys(f, rid, metadata, set(), {"slip_words"})
    if "slip_words" in metadata:
        if rule["kind"] != "level":
            raise RuleError(f, rid, "metadata.slip_words is read only on a level rule")
        if not isinstance(metadata["slip_words"], str) or not metadata["slip_words"]:
            raise RuleError(f, rid, "metadata.slip_words must be a non-empty regex string")
        compile_regex(f, rid, metadata["slip_words"], re.IGNORECASE)


def _validate_patient(doc: dict[str, Any]) -> None:
    f = "patient.json"
    optional = {"description", "age_not_after", "others", "reporting"}
    check_keys(f, None, doc, {"name", "version", "age_rules", "sex_rules"}, optional)
    for key in ("age_not_after", "reporting"):
        if key in doc:
            compile_regex(f, key, doc[key], re.IGNORECASE)
    if not isinstance(doc.get("others", []), list):
        raise RuleError(f, "others", "must be a list of {sex, regex}")
    for other in doc.get("others", []):
        check_keys(f, "others", other, {"sex", "regex"}, {"comment"})
        if other["sex"] not in ("female", "male", None):
            raise RuleError(f, "others", "sex must be 'female', 'male' or null")
        compile_regex(f, "others", other["regex"], re.IGNORECASE)

    def check_age(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"id", "regex"}, {"comment", "case_sensitive"})
        rx = compile_regex(f, rid, rule["regex"], 0 if rule.get("case_sensitive") else re.IGNORECASE)
        if "age" not in rx.groupindex:
            raise RuleError(f, rid, "age regex needs a named group (?P<age>...)")

    def check_sex(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"id", "regex", "sex"}, {"comment", "case_sensitive"})
        if rule["sex"] not in ("female", "male"):
            raise RuleError(f, rid, "sex must be 'female' or 'male'")
        compile_regex(f, rid, rule["regex"])

    check_rules(f, doc, "age_rules", check_age)
    check_rules(f, doc, "sex_rules", check_sex)


def _validate_prevalence(doc: dict[str, Any], targets: dict[str, Any]) -> None:
    f = "prevalence.json"
    check_keys(f, None, doc, {"name", "version", "source", "ages", "findings", "by_degenerative_key"}, {"description"})
    ages = doc["ages"]
    if not isinstance(ages, list) or not ages or ages != sorted(ages):
        raise RuleError(f, None, "'ages' must be a sorted list of numbers")

    def check(rid: str, row: dict[str, Any]) -> None:
        check_keys(f, rid, row, {"id", "finding", "source"}, {"by_age", "range", "comment"})
        by_age = row.get("by_age")
        if by_age is not None and (
            not isinstance(by_age, list) or len(by_age) != len(ages) or not all(0 <= v <= 100 for v in by_age)
        ):
            raise RuleError(f, rid, f"'by_age' must hold {len(ages)} percentages")
        rng = row.get("range")
        if rng is not None and (not isinstance(rng, list) or len(rng) != 2 or rng[0] > rng[1]):
            raise RuleError(f, rid, "'range' must be [low, high]")
        if by_age is None and rng is None:
            raise RuleError(f, rid, "needs 'by_age' or 'range'")

    check_rules(f, doc, "findings", check)
    ids = {row["id"] for row in doc["findings"]}
    keys = {c.get("degenerative") for c in targets["concepts"].values() if c.get("degenerative")}
    mapping = doc["by_degenerative_key"]
    if not isinstance(mapping, dict):
        raise RuleError(f, None, "'by_degenerative_key' must be an object")
    for key, row_id in mapping.items():
        if key not in keys:
            raise RuleError(f, f"by_degenerative_key {key}", "not a degenerative key of targets.json")
        if row_id is not None and row_id not in ids:
            raise RuleError(f, f"by_degenerative_key {key}", f"unknown finding row '{row_id}'")
    for rule in targets["target_rules"]:
        row_id = rule["metadata"].get("prevalence")
        if row_id is not None and row_id not in ids:
            raise RuleError("targets.json", rule_id(rule), f"metadata.prevalence names unknown prevalence row '{row_id}'")
