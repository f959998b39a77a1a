"""Standard codes: SNOMED CT / RadLex per concept in targets.json, on each mention, in the schema, docs and NOTE_NLP."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli.table import run_table
from reportnlp.nlp.codes import RADLEX_RID, codes_problem, snomed_concept_id_valid, verhoeff_valid
from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir, load_rules
from reportnlp.records.codes import label_codes
from reportnlp.records.schema import record_schema, validate_record
from reportnlp.run.extractor import Extractor
from reportnlp.tables.flat import ConceptMap, NoteNlp, mention_rows

DOCS = Path(__file__).resolve().parent.parent / "docs" / "codes.md"
CONCEPTS = load_rules().concepts
CODED = {name: spec["codes"] for name, spec in CONCEPTS.items() if name != "ignore"}
SNOMED_IDS = sorted({c["snomed"] for c in CODED.values() if c["snomed"]})
TEXT = "FINDINGS: Osseous metastases in T8 and L2. Mild L4-5 disc bulge. No fracture."


@pytest.fixture(scope="module")
def record(extractor: Extractor) -> dict[str, Any]:
    return extractor.record_for_text("7", TEXT)


def _mention(record: dict[str, Any], concept: str) -> dict[str, Any]:
    return next(m for m in record["mentions"] if m["concept"] == concept)


# --- the check digit -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sctid", ["138875005", "404684003", "71388002", "123037004"])
def test_verhoeff_accepts_well_known_snomed_ids(sctid: str) -> None:
    # the SNOMED CT root concept, Clinical finding, Procedure, Body structure
    assert verhoeff_valid(sctid)


def test_verhoeff_rejects_every_single_digit_slip_of_every_shipped_code() -> None:
    for code in SNOMED_IDS:
        for i, digit in enumerate(code):
            for other in "0123456789".replace(digit, ""):
                assert not verhoeff_valid(code[:i] + other + code[i + 1:]), (code, i, other)


def test_verhoeff_rejects_a_swap_of_adjacent_digits() -> None:
    assert verhoeff_valid("94222008") and not verhoeff_valid("94220208")


def test_a_description_id_is_not_a_concept_id() -> None:
    # 2474921010 is a valid SNOMED CT identifier, but its partition digits (01) say "description"
    assert verhoeff_valid("2474921010") and not snomed_concept_id_valid("2474921010")


@pytest.mark.parametrize("codes, problem", [
    ({"snomed": "94222009", "radlex": None}, "is not a SNOMED CT concept id"),
    ({"snomed": 94222008, "radlex": None}, "is not a SNOMED CT concept id"),
    ({"snomed": None, "radlex": "5231"}, "is not a RadLex id"),
    ({"snomed": None}, "exactly 'snomed', 'radlex'"),
])
def test_malformed_codes_are_named(codes: dict[str, Any], problem: str) -> None:
    assert problem in str(codes_problem(codes))


# --- the rule files --------------------------------------------------------------------------------------------


def test_every_concept_that_can_be_a_mention_has_codes() -> None:
    assert all(codes_problem(codes) is None for codes in CODED.values())


def test_shipped_codes_are_well_formed() -> None:
    assert SNOMED_IDS and all(snomed_concept_id_valid(c) for c in SNOMED_IDS)
    assert all(RADLEX_RID.fullmatch(c["radlex"]) for c in CODED.values() if c["radlex"])


def test_docs_cite_every_code_and_say_where_none_was_verified() -> None:
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in DOCS.read_text().splitlines()
            if line.startswith("| `")]
    for name, codes in CODED.items():
        cells = next(r for r in rows if f"`{name}`" in r[0] or f"`degenerative.{name}`" in r[0])
        by_value = "by value" if "modality_codes" in CONCEPTS[name] else "none verified"
        assert cells[1] == (codes["snomed"] or by_value), name
        assert cells[-1] == (codes["radlex"] or by_value), name
    for modality, codes in CONCEPTS["modality"]["modality_codes"].items():
        cells = next(r for r in rows if r[0] == f"`modalities` `{modality}`")
        assert cells[1] == (codes["snomed"] or "none verified"), modality
        assert cells[-1] == (codes["radlex"] or "none verified"), modality
    for pattern, codes in label_codes(CONCEPTS)["lesion_pattern"].items():
        cells = next(r for r in rows if r[0] == f"`lesion_pattern` `{pattern}`")
        assert (cells[1], cells[-1]) == (codes["snomed"] or "none verified", codes["radlex"] or "none verified")


def test_docs_give_each_radlex_id_its_name_and_two_sources() -> None:
    section = DOCS.read_text().split("### RadLex\n", 1)[1].split("\n### ", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines()]
    table = {cells[0]: cells for cells in rows if RADLEX_RID.fullmatch(cells[0])}
    shipped = {c["radlex"] for c in CODED.values() if c["radlex"]}
    shipped |= {c["radlex"] for c in CONCEPTS["modality"]["modality_codes"].values() if c["radlex"]}
    assert shipped and set(table) == shipped
    for rid, (_, name, _parent, _concepts, sources) in table.items():
        assert name and {"[RL14]", "[RL17]"} <= set(re.findall(r"\[[A-Z0-9]+\]", sources)), rid


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, tmp_path / name)
    return tmp_path


def _set_codes(folder: Path, concept: str, codes: Any) -> None:
    data = json.loads((folder / "targets.json").read_text())
    if codes is None:
        data["concepts"][concept].pop("codes")
    else:
        data["concepts"][concept]["codes"] = codes
    (folder / "targets.json").write_text(json.dumps(data))


def test_a_mistyped_code_stops_the_rule_load_naming_the_concept(rules_copy: Path) -> None:
    _set_codes(rules_copy, "fracture", {"snomed": "125605005", "radlex": None})
    with pytest.raises(RuleError, match=r"^targets\.json: rule concept fracture: 'codes.snomed' '125605005'"):
        load_rules(rules_copy)


def test_a_mistyped_modality_code_stops_the_rule_load(rules_copy: Path) -> None:
    table = dict(CONCEPTS["modality"]["modality_codes"], CT={"snomed": "77477001", "radlex": None})
    _set_modality_codes(rules_copy, table)
    with pytest.raises(RuleError, match=r"concept modality: modality_codes.CT: 'codes.snomed' '77477001'"):
        load_rules(rules_copy)


def _set_modality_codes(folder: Path, table: dict[str, Any]) -> None:
    data = json.loads((folder / "targets.json").read_text())
    data["concepts"]["modality"]["modality_codes"] = table
    (folder / "targets.json").write_text(json.dumps(data))


def test_a_concept_of_ones_own_rules_may_have_no_codes_and_its_mentions_carry_nulls(rules_copy: Path) -> None:
    _set_codes(rules_copy, "bone_metastasis", None)
    record = Extractor(rules_copy).record_for_text("1", TEXT)
    assert _mention(record, "bone_metastasis")["codes"] == {"snomed": None, "radlex": None}


# --- records, schema, labels -----------------------------------------------------------------------------------


def test_each_mention_carries_its_concepts_codes(record: dict[str, Any]) -> None:
    assert _mention(record, "bone_metastasis")["codes"] == {"snomed": "94222008", "radlex": None}
    assert _mention(record, "fracture")["codes"] == CONCEPTS["fracture"]["codes"]
    assert _mention(record, "disc_bulge")["codes"] == {"snomed": None, "radlex": "RID5089"}


def test_a_modality_mention_carries_the_code_of_its_modality(extractor: Extractor) -> None:
    record = extractor.record_for_text("m", "EXAM: CT lumbar spine. FINDINGS: No fracture.")
    ct = _mention(record, "modality")
    assert (ct["meta"]["modality"], ct["codes"]) == ("CT", {"snomed": "77477000", "radlex": "RID10321"})


def test_a_record_with_codes_validates(record: dict[str, Any]) -> None:
    validate_record(record)


def test_a_mention_with_a_malformed_code_fails_the_schema(record: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(record))
    bad["mentions"][0]["codes"] = {"snomed": "C94222008", "radlex": None}
    with pytest.raises(ValueError, match="codes"):
        validate_record(bad)


def test_the_schema_gives_each_label_the_codes_of_its_concept() -> None:
    defs = record_schema()["$defs"]
    table = label_codes(CONCEPTS)
    simple = {k: v["x-codes"] for k, v in defs["labels"]["properties"].items() if "x-codes" in v}
    degenerative = {k: v["x-codes"] for k, v in defs["degenerative_labels"]["properties"].items()}
    assert {**simple, **degenerative} == {k: v for k, v in table.items() if k not in ("lesion_pattern", "modalities")}
    assert defs["lesion_pattern"]["x-codes"] == table["lesion_pattern"]
    assert defs["modality"]["x-codes"] == table["modalities"]


def test_bone_metastasis_is_coded_as_metastasis_to_bone() -> None:
    assert label_codes(CONCEPTS)["bone_metastasis"] == {"snomed": "94222008", "radlex": None}


# --- flat tables and OMOP NOTE_NLP -----------------------------------------------------------------------------


def test_mention_rows_have_the_codes(record: dict[str, Any]) -> None:
    row = next(r for r in mention_rows(record) if r["concept"] == "bone_metastasis")
    assert (row["snomed"], row["radlex"]) == ("94222008", None)


def _note_nlp(record: dict[str, Any], concept_map: ConceptMap | None = None) -> dict[str, Any]:
    rows = NoteNlp("s", "2026-01-02", concept_map).rows(record)
    return next(r for r in rows if "concept=bone_metastasis" in r["term_modifiers"])


def test_note_nlp_names_the_snomed_code_and_leaves_omop_ids_0_without_a_map(record: dict[str, Any]) -> None:
    row = _note_nlp(record)
    assert "concept=bone_metastasis;snomed=94222008;" in row["term_modifiers"]
    assert (row["note_nlp_concept_id"], row["note_nlp_source_concept_id"]) == (0, 0)


def test_a_snomed_map_fills_the_standard_and_source_concept_ids(record: dict[str, Any]) -> None:
    row = _note_nlp(record, ConceptMap(snomed={"94222008": 11}, snomed_source={"94222008": 12}))
    assert (row["note_nlp_concept_id"], row["note_nlp_source_concept_id"]) == (11, 12)


def test_a_concept_name_map_wins_over_the_snomed_map(record: dict[str, Any]) -> None:
    row = _note_nlp(record, ConceptMap(concepts={"bone_metastasis": 7}, snomed={"94222008": 11}))
    assert row["note_nlp_concept_id"] == 7


def test_records_without_codes_still_make_note_nlp_rows(record: dict[str, Any]) -> None:
    old = json.loads(json.dumps(record))
    for m in old["mentions"]:
        del m["codes"]
    row = _note_nlp(old, ConceptMap(snomed={"94222008": 11}))
    assert "snomed=" not in row["term_modifiers"] and row["note_nlp_concept_id"] == 0


def _run_with_map(tmp_path: Path, record: dict[str, Any], mapping: Any) -> tuple[int, str, str]:
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n")
    (tmp_path / "map.json").write_text(json.dumps(mapping))
    out, err = io.StringIO(), io.StringIO()
    code = run_table([str(tmp_path / "r.jsonl")], "note_nlp", "json", None, "2026-01-02", stdout=out, stderr=err,
                     concept_map=str(tmp_path / "map.json"))
    return code, out.getvalue(), err.getvalue()


def test_the_concept_map_file_takes_snomed_codes(tmp_path: Path, record: dict[str, Any]) -> None:
    code, out, _ = _run_with_map(tmp_path, record, {"snomed": {"94222008": 11}, "snomed_source": {"94222008": 11}})
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["note_nlp_concept_id"] for r in rows if "snomed=94222008" in r["term_modifiers"]} == {11}


def test_a_snomed_map_to_a_non_integer_is_a_usage_error(tmp_path: Path, record: dict[str, Any]) -> None:
    code, _, err = _run_with_map(tmp_path, record, {"snomed": {"94222008": "4113111"}})
    assert code == 2 and "'snomed' must map SNOMED CT codes to integer OMOP concept ids" in err


def test_the_athena_recipe_of_the_docs_builds_a_map_the_table_command_reads(
        tmp_path: Path, record: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    sql = re.search(r"```sql\n(.*?)```", DOCS.read_text(), re.S).group(1)  # type: ignore[union-attr]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "records.jsonl").write_text(json.dumps(record) + "\n")
    head = "concept_id\tconcept_name\tdomain_id\tvocabulary_id\tconcept_class_id\tstandard_concept\tconcept_code\t"
    (tmp_path / "CONCEPT.csv").write_text(
        head + "valid_start_date\tvalid_end_date\tinvalid_reason\n"
        "11\tx\tCondition\tSNOMED\tDisorder\t\t94222008\t19700101\t20991231\tU\n"
        "12\ty\tCondition\tSNOMED\tDisorder\tS\t1\t19700101\t20991231\t\n"
        "13\tz\tCondition\tICD10CM\tDisorder\t\t125605004\t19700101\t20991231\t\n")
    (tmp_path / "CONCEPT_RELATIONSHIP.csv").write_text(
        "concept_id_1\tconcept_id_2\trelationship_id\tvalid_start_date\tvalid_end_date\tinvalid_reason\n"
        "11\t12\tMaps to\t19700101\t20991231\t\n11\t11\tMaps to\t19700101\t20991231\tD\n")
    con = duckdb.connect()
    *setup, last = [s for s in sql.split(";") if s.strip()]
    for statement in setup:
        con.execute(statement)
    mapping = json.loads(con.execute(last).fetchone()[0])
    assert mapping == {"snomed": {"94222008": 12}, "snomed_source": {"94222008": 11}}
    code, out, _ = _run_with_map(tmp_path, record, mapping)
    assert code == 0 and any(json.loads(line)["note_nlp_source_concept_id"] == 11 for line in out.splitlines())
