"""Locations: spine levels normalised, ranges expanded, sites and laterality (labels.md section 6)."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportnlp.run.extractor import Extractor


def locations(extractor: Extractor, text: str, phrase: str) -> list[dict[str, object]]:
    record = extractor.record_for_text("t", text)
    mention = next(m for m in record["mentions"] if m["text"].lower() == phrase.lower())
    return mention["locations"]


def levels(extractor: Extractor, text: str, phrase: str) -> list[str]:
    return [lv for loc in locations(extractor, text, phrase) for lv in loc.get("levels", [])]  # type: ignore[attr-defined]


@pytest.mark.parametrize("written", ["L4-5", "L4/5", "L4-L5", "l4-5", "L4–5"])
def test_disc_level_forms_normalise(extractor: Extractor, written: str) -> None:
    assert levels(extractor, f"Disc bulge at {written}.", "disc bulge") == ["L4-L5"]


@pytest.mark.parametrize(("written", "level"), [("L45", "L4-L5"), ("C56", "C5-C6"), ("L5S1", "L5-S1"), ("T12L1", "T12-L1")])
def test_a_disc_level_written_without_a_separator_normalises(extractor: Extractor, written: str, level: str) -> None:
    assert levels(extractor, f"Disc bulge at {written}.", "disc bulge") == [level]


@pytest.mark.parametrize("written", ["L46", "C34.1", "T12"])
def test_digits_that_are_no_adjacent_pair_are_no_compact_disc_level(extractor: Extractor, written: str) -> None:
    assert all("-" not in lv for lv in levels(extractor, f"Disc bulge at {written}.", "disc bulge"))


def test_lumbosacral_disc_level(extractor: Extractor) -> None:
    assert levels(extractor, "Disc protrusion at L5-S1.", "disc protrusion") == ["L5-S1"]


def test_vertebral_range_through_is_expanded(extractor: Extractor) -> None:
    expected = ["T10", "T11", "T12", "L1", "L2"]
    assert levels(extractor, "Osseous metastases from T10 through L2.", "osseous metastases") == expected


def test_disc_level_range_is_expanded(extractor: Extractor) -> None:
    text = "Disc desiccation from L3-4 through L5-S1."
    assert levels(extractor, text, "disc desiccation")[-3:] == ["L3-L4", "L4-L5", "L5-S1"]


def test_t1_weighting_is_not_a_level(extractor: Extractor) -> None:
    assert levels(extractor, "T1 hypointense lytic lesion in L3.", "lytic lesion") == ["L3"]


def test_each_finding_keeps_its_own_level(extractor: Extractor) -> None:
    text = "Disc bulge at L3-4 and disc protrusion at L4-5."
    assert levels(extractor, text, "disc bulge") == ["L3-L4"]
    assert levels(extractor, text, "disc protrusion") == ["L4-L5"]


def test_level_heading_carries_to_findings_below_it(extractor: Extractor) -> None:
    text = "FINDINGS:\nL4-5: Disc desiccation. Mild facet hypertrophy.\nL5-S1: Normal."
    locs = locations(extractor, text, "facet hypertrophy")
    assert locs[0]["levels"] == ["L4-L5"] and locs[0]["inherited"] is True


def test_a_heading_of_more_than_32_levels_gives_the_findings_under_it_its_last_32(extractor: Extractor) -> None:
    """The small version of bench/adversarial.py's long level heading: a heading listing 40 levels gives each
    finding below it the heading's last 32, as a group of sites after a finding (labels.md section 6, session 22),
    not all 40 (each of thousands of findings took thousands of levels: the record grew with the square)."""
    heading = ", ".join(f"{'CTL'[k % 3]}{k % 5 + 1}-{k % 5 + 2}" for k in range(40))  # C1-2, T2-3, L3-4, ...
    text = "MRI SPINE\nFINDINGS:\n" + heading + ":\n" + "Disc bulge. " * 3
    last_32 = [text.index(heading) + k for k in range(len(heading)) if k == 0 or heading[k - 2 : k] == ", "][-32:]
    bulges = [m for m in extractor.record_for_text("t", text)["mentions"] if m["text"] == "Disc bulge"]
    assert len(bulges) == 3
    assert all([loc["start"] for loc in m["locations"]] == last_32 for m in bulges)
    assert all(loc["inherited"] is True for m in bulges for loc in m["locations"])


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("No facet arthropathy at any level.", "facet arthropathy"),
        ("Multilevel disc desiccation.", "disc desiccation"),
        ("No central canal stenosis elsewhere.", "central canal stenosis"),
        ("Facet hypertrophy at all levels.", "facet hypertrophy"),
    ],
)
def test_a_finding_said_of_every_level_takes_no_heading_level(extractor: Extractor, sentence: str, phrase: str) -> None:
    text = f"FINDINGS:\nL4-5: Mild disc bulge.\nL5-S1: Normal.\n{sentence}"
    assert locations(extractor, text, phrase) == []


def test_a_diffuse_finding_under_a_heading_keeps_its_level(extractor: Extractor) -> None:
    text = "FINDINGS:\nL4-5: Mild facet hypertrophy. Diffuse disc bulge.\nL5-S1: Normal."
    assert levels(extractor, text, "diffuse disc bulge") == ["L4-L5"]


def test_bone_site_with_laterality(extractor: Extractor) -> None:
    locs = locations(extractor, "Lytic lesion in the left iliac bone.", "lytic lesion")
    assert [(loc["value"], loc.get("laterality")) for loc in locs] == [("pelvis", "left")]


def test_organ_site_is_recorded_as_organ(extractor: Extractor) -> None:
    locs = locations(extractor, "Multiple liver metastases.", "metastases")
    assert [loc["kind"] for loc in locs] == ["organ"]


def test_mention_laterality(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "Severe left neural foraminal narrowing at C5-6.")
    assert record["mentions"][0]["laterality"] == "left"


@pytest.mark.parametrize("layer", ["lamina propria", "muscularis propria", "muscularis mucosae"])
def test_a_layer_of_an_organ_wall_is_not_the_vertebral_lamina(extractor: Extractor, layer: str) -> None:
    text = f"FINDINGS: The bladder tumor reaches the {layer}."
    record = extractor.record_for_text("t", text)
    assert record["labels"]["bone_metastasis"] == "not_mentioned"
    assert all(loc.get("region") != "spine" for loc in locations(extractor, text, "tumor"))


@pytest.mark.parametrize("lamina", ["lamina papyracea", "lamina dura"])
def test_the_orbit_and_jaw_laminae_are_skull_not_spine(extractor: Extractor, lamina: str) -> None:
    sites = locations(extractor, f"FINDINGS: Fracture of the {lamina}.", "fracture")
    assert [(loc["value"], loc["region"]) for loc in sites] == [("skull", "head")]


def test_the_vertebral_lamina_stays_spine(extractor: Extractor) -> None:
    sites = locations(extractor, "FINDINGS: Tumor extends into the right L4 lamina.", "tumor")
    assert any(loc.get("region") == "spine" and loc["kind"] == "bone" for loc in sites)


@pytest.mark.parametrize(
    "text",
    ["FINDINGS: Fracture of the tibial shaft, fixed with a T2 tibial nail.",
     "FINDINGS: Left great toe, T1 fracture, reduced."],
)
def test_an_implant_name_or_a_digit_label_is_not_a_spine_level(extractor: Extractor, text: str) -> None:
    assert levels(extractor, text, "fracture") == []


def test_a_t2_vertebral_body_stays_a_level(extractor: Extractor) -> None:
    assert levels(extractor, "FINDINGS: Fracture of the T2 vertebral body.", "fracture") == ["T2"]


@given(st.lists(st.sampled_from(["liver mass", "increased", "stable", "lesion", "mildly enlarged", "new"]), max_size=12),
       st.integers(0, 120), st.integers(0, 120))
def test_status_commas_by_prefix_sums_equal_the_plain_count(items: list[str], a: int, b: int) -> None:
    from reportnlp.nlp.components.locations import _STATUS_ITEM, _Commas

    source = ", ".join(items)
    commas = _Commas.of(source, 0, len(source))
    plain, k = 0, bisect.bisect_left(commas.at, a)  # the count walked comma by comma
    while k + 1 < len(commas.at) and commas.at[k + 1] < b:
        plain += _STATUS_ITEM.fullmatch(source, commas.at[k] + 1, commas.at[k + 1]) is not None
        k += 1
    assert commas.status_between(a, b) == plain


def sites(extractor: Extractor, text: str, phrase: str) -> list[tuple[object, object]]:
    return [(loc["kind"], loc.get("value")) for loc in locations(extractor, text, phrase)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("EXAM: Chest, 2 views, frontal and lateral.", "2 views"),
        ("EXAM: CHEST 2V FRONTAL/LATERAL", "2V"),
        ("COMPARISON: Frontal chest radiograph of last year.", "radiograph"),
    ],
)
def test_a_radiographs_frontal_projection_is_no_brain(extractor: Extractor, text: str, phrase: str) -> None:
    assert ("organ", "brain") not in sites(extractor, text, phrase)


def test_the_chest_after_a_frontal_projection_is_still_read(extractor: Extractor) -> None:
    assert ("region", None) in sites(extractor, "COMPARISON: Frontal chest radiograph of last year.", "radiograph")


def test_a_frontal_lesion_is_still_in_the_brain(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: A right frontal lesion.", "lesion") == [("organ", "brain")]


def test_a_named_brain_lobe_is_one_brain_site_not_a_lung_lobe(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: A lesion in the left parietal lobe.", "lesion") == [("organ", "brain")]


def test_a_schmorl_node_is_no_lymph_node(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: Schmorl's node at the L2 superior endplate.", "Schmorl's node") == [("level", None)]


def test_the_vocal_cords_are_not_the_spinal_cord(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: Small lesion of the left vocal cord.", "lesion") == []


def test_a_metatarsal_head_is_not_the_head(extractor: Extractor) -> None:
    assert ("region", None) not in sites(extractor, "FINDINGS: Fracture of the second metatarsal head.", "fracture")


@pytest.mark.parametrize(
    ("text", "phrase", "site"),
    [
        ("FINDINGS: Thoracic spondylosis.", "spondylosis", "thoracic spine"),
        ("FINDINGS: Two thoracic compression fractures.", "fractures", "thoracic spine"),
        ("FINDINGS: Cervical spondylosis.", "spondylosis", "cervical spine"),
    ],
)
def test_a_spine_region_word_before_a_spine_finding_is_that_spine(
    extractor: Extractor, text: str, phrase: str, site: str
) -> None:
    assert sites(extractor, text, phrase) == [("bone", site)]



def test_a_region_heading_its_line_yields_to_the_bone_the_finding_names(extractor: Extractor) -> None:
    """Session 18: "Chest:" heads the line; the fracture is the rib's."""
    text = "FINDINGS:\nChest: Nondisplaced fracture of the left 6th rib. No pneumothorax."
    assert [(loc["kind"], loc.get("value")) for loc in locations(extractor, text, "fracture")] == [("bone", "rib")]


def test_a_region_heading_stays_where_no_bone_is_named_or_for_a_study(extractor: Extractor) -> None:
    assert [loc["text"] for loc in locations(extractor, "FINDINGS:\nChest: Fracture, site unclear.", "fracture")] == ["Chest"]
    text = "IMAGING:\nChest: CT of the ribs today."
    assert "Chest" in [loc["text"] for loc in locations(extractor, text, "CT")]
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("CT angiogram for suspected pulmonary embolism.", "CT angiogram"),
        ("Catheter angiogram of the left pulmonary artery was performed.", "angiogram"),
        ("Echocardiogram shows moderate pulmonary hypertension.", "Echocardiogram"),
    ],
)
def test_a_pulmonary_vessel_or_embolism_is_no_lung(extractor: Extractor, text: str, phrase: str) -> None:
    assert ("organ", "lung") not in sites(extractor, text, phrase)


def test_a_pulmonary_nodule_is_still_in_the_lung(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: A pulmonary lesion in the right base.", "lesion") == [("organ", "lung")]


def test_a_dural_puncture_of_a_myelogram_is_no_brain(extractor: Extractor) -> None:
    assert ("organ", "brain") not in sites(extractor, "Myelogram done without a dural puncture headache.", "Myelogram")


def test_a_dural_based_mass_is_still_the_brains(extractor: Extractor) -> None:
    assert ("organ", "brain") in sites(extractor, "FINDINGS: Dural-based lesion along the falx.", "lesion")


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("FINDINGS: A lesion in the right lobe of the liver.", ("organ", "liver")),
        ("FINDINGS: A lesion in the caudate lobe.", ("organ", "liver")),
        ("FINDINGS: A lesion in the left thyroid lobe.", ("organ", "other soft tissue")),
        ("FINDINGS: A lesion in the lobe of the thyroid gland.", ("organ", "other soft tissue")),
        ("FINDINGS: A lesion in the mesial temporal lobe.", ("organ", "brain")),
        ("FINDINGS: A lesion in the right upper lobe.", ("organ", "lung")),
    ],
)
def test_a_lobe_is_the_lobe_of_the_organ_it_names(extractor: Extractor, text: str, site: tuple[str, str]) -> None:
    assert sites(extractor, text, "lesion") == [site]


def test_a_lobe_named_with_a_prefix_is_the_brain(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: A lesion in the mesiotemporal lobe.", "lesion") == [("organ", "brain")]


@pytest.mark.parametrize(
    "text",
    ["FINDINGS: Focal uptake over the left parietal region of the skull.", "FINDINGS: Focal uptake in the right frontal skull."],
)
def test_a_lobes_name_before_the_skull_is_the_skull(extractor: Extractor, text: str) -> None:
    assert sites(extractor, text, "Focal uptake") == [("bone", "skull")]


def test_a_view_noun_before_frontal_makes_it_a_projection(extractor: Extractor) -> None:
    assert ("organ", "brain") not in sites(extractor, "COMPARISON: Radiograph, single view frontal.", "Radiograph")


@pytest.mark.parametrize(("text", "site"), [
    ("FINDINGS: Fracture of the fibular head.", ("bone", "tibia/fibula")),
    ("FINDINGS: Fracture of the ulnar head.", ("bone", "radius/ulna")),
])
def test_the_head_of_a_named_bone_is_that_bone(extractor: Extractor, text: str, site: tuple[str, str]) -> None:
    assert sites(extractor, text, "Fracture") == [site]


def test_a_prosthetic_head_is_no_head_region(extractor: Extractor) -> None:
    text = "OPERATION: Hemiarthroplasty. A 28 mm plastic head was placed after the fracture was reduced."
    assert ("region", None) not in sites(extractor, text, "fracture")


def test_the_cord_a_denied_compression_names_is_no_site_of_the_finding_beside_it(extractor: Extractor) -> None:
    text = "FINDINGS: At T9, a small endplate Schmorl node without cord compression."
    assert sites(extractor, text, "Schmorl node") == [("level", None)]
    assert ("organ", "spinal cord") in sites(extractor, text, "cord compression")


def test_the_cord_a_tumor_presses_on_is_no_site_of_the_tumor(extractor: Extractor) -> None:
    text = "FINDINGS: Epidural tumor at T6 flattening the spinal cord."
    assert sites(extractor, text, "tumor") == [("level", None)]


def test_a_compression_whose_words_cut_an_organ_name_still_presses_on_it(extractor: Extractor) -> None:
    text = "IMPRESSION: L2 metastasis with epidural extension compressing the cauda equina."
    assert sites(extractor, text, "metastasis") == [("level", None)]


def test_a_stenosis_takes_no_cord_from_the_compression_its_clause_denies(extractor: Extractor) -> None:
    text = "FINDINGS: Retropulsed fragment narrowing the canal, without cord compression at this level."
    assert ("organ", "spinal cord") not in sites(extractor, text, "narrowing the canal")


def test_a_lesion_within_the_cord_keeps_the_cord(extractor: Extractor) -> None:
    assert ("organ", "spinal cord") in sites(extractor, "FINDINGS: Enhancing lesion within the cord at C4.", "Enhancing lesion")


# --- session 19: a record's sites and words ------------------------------------------------------------


def sided(extractor: Extractor, text: str, phrase: str) -> list[tuple[object, object]]:
    return [(loc.get("value"), loc.get("laterality")) for loc in locations(extractor, text, phrase)]


@pytest.mark.parametrize(
    ("text", "phrase", "site"),
    [
        ("FINDINGS: Nondisplaced fracture of the left anterior 6th rib.", "fracture", ("rib", "left")),
        ("FINDINGS: Healing fracture of the right posterolateral 9th rib.", "healing fracture", ("rib", "right")),
        ("FINDINGS: Fracture of the left and right clavicles.", "fracture", ("clavicle", "right")),
    ],
)
def test_a_bones_side_two_words_before_it_is_its_side(
    extractor: Extractor, text: str, phrase: str, site: tuple[str, str]
) -> None:
    assert sided(extractor, text, phrase) == [site]


def test_an_adverbs_right_is_no_side(extractor: Extractor) -> None:
    text = "FINDINGS: Papillary tumor on the wall right at the bladder neck."
    assert {side for _, side in sided(extractor, text, "tumor")} == {None}


@pytest.mark.parametrize(
    ("text", "phrase", "site"),
    [
        ("FINDINGS: Lytic lesion in the scaphoid.", "lytic lesion", ("bone", "hand")),
        ("FINDINGS: Fracture of the fifth metacarpal neck.", "fracture", ("bone", "hand")),
        ("FINDINGS: Sclerotic focus in the calcaneus.", "sclerotic focus", ("bone", "foot")),
        ("FINDINGS: Fracture of the second metatarsal head.", "fracture", ("bone", "foot")),
        ("FINDINGS: Fracture of the proximal phalanx.", "fracture", ("bone", "phalanx")),
        ("FINDINGS: Fractured sesamoid.", "fractured", ("bone", "sesamoid")),
    ],
)
def test_a_hand_or_foot_bone_is_a_bone(extractor: Extractor, text: str, phrase: str, site: tuple[str, str]) -> None:
    assert sites(extractor, text, phrase) == [site]


def test_a_lesion_plantar_to_a_metatarsal_head_is_in_the_sole_not_the_bone(extractor: Extractor) -> None:
    text = "FINDINGS: Painful hyperkeratotic lesion plantar to the left first metatarsal head."
    assert sites(extractor, text, "lesion") == [("organ", "other soft tissue")]


def test_the_carpal_tunnel_is_no_bone(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: Lytic lesion in the carpal tunnel.", "lytic lesion") == []


@pytest.mark.parametrize(
    ("text", "phrase", "site"),
    [
        ("FINDINGS: Moderate stenosis at L4-5 compressing the nerve roots.", "moderate stenosis", "nerve root"),
        ("FINDINGS: Mild narrowing of the thecal sac at L3-4.", "narrowing of the thecal sac", "thecal sac"),
        ("FINDINGS: Epidural tumor at L3 compressing the cauda equina.", "compressing the cauda", "cauda equina"),
    ],
)
def test_the_cauda_equina_thecal_sac_and_nerve_roots_are_no_spinal_cord(
    extractor: Extractor, text: str, phrase: str, site: str
) -> None:
    found = sites(extractor, text, phrase)
    assert ("organ", site) in found and ("organ", "spinal cord") not in found


def test_the_cord_stays_the_spinal_cord(extractor: Extractor) -> None:
    assert sites(extractor, "FINDINGS: Enhancing lesion within the cord at T4.", "enhancing lesion") == [
        ("organ", "spinal cord"), ("level", None)]


@pytest.mark.parametrize("vessel", ["high-grade iliac stenosis", "the left iliac occlusion", "the iliac stent"])
def test_a_diseased_iliac_vessel_is_no_pelvis(extractor: Extractor, vessel: str) -> None:
    record = extractor.record_for_text("t", f"FINDINGS: Lytic lesion beside {vessel}.")
    assert all(loc["rule"] != "pelvis_bone" for m in record["mentions"] for loc in m["locations"])


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("IMPRESSION: Right frontal haemangioma.", "haemangioma"),
        ("FINDINGS: Left parietal lytic lesion.", "lytic lesion"),
        ("FINDINGS: Small occipital sclerotic focus.", "sclerotic focus"),
    ],
)
def test_a_lobes_adjective_before_a_bone_lesion_word_is_the_skull(extractor: Extractor, text: str, phrase: str) -> None:
    assert sites(extractor, text, phrase) == [("bone", "skull")]


def test_a_frontal_cavernous_hemangioma_stays_in_the_brain(extractor: Extractor) -> None:
    text = "FINDINGS: Right frontal cavernous hemangioma."
    assert sites(extractor, text, "hemangioma") == [("organ", "brain")]


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: L3 metastasis, compressing the cauda equina.",
        "FINDINGS: Metastatic disease at T5, compressing the spinal cord.",
    ],
)
def test_the_next_list_items_pressed_organ_is_no_site_of_the_metastasis(extractor: Extractor, text: str) -> None:
    record = extractor.record_for_text("t", text)
    metastasis = next(m for m in record["mentions"] if m["concept"] == "metastasis")
    assert [loc["kind"] for loc in metastasis["locations"]] == ["level"]


def test_in_a_long_negated_list_each_cord_compression_keeps_its_own_cord(extractor: Extractor) -> None:
    """The small version of bench/adversarial.py's long negated list: the pressed cords are found around each
    mention, not by rebuilding the clause's groups for it (session 21); each still gets its own cord only."""
    items = ["cord compression", "liver metastasis", "compression of the spinal cord", "fracture of the femur"]
    text = "No " + " or ".join(items * 30) + "."
    record = extractor.record_for_text("t", text)
    for m in record["mentions"]:
        cords = [loc["start"] for loc in m["locations"] if "cord" in loc["text"]]
        if m["concept"] == "cord_compression":
            assert cords and all(m["start"] <= at < m["end"] for at in cords)
        else:
            assert cords == []
    assert sum(m["concept"] == "cord_compression" for m in record["mentions"]) == 60


def test_clause_sites_give_a_mentions_group_as_if_built_without_the_other_pressed_organs() -> None:
    """_ClauseSites.nearest for a mention touching pressed organs is the nearest group of the clause's sites
    without the pressed organs it does not touch (what it was computed as before session 21)."""
    from reportnlp.nlp.components.locations import _SITE_GAP, Anatomy, _ClauseSites, _clusters, _Groups

    # 50 items in short groups, then a run of 130 joined by "and" whose cords part groups longer than the cap,
    # with a cord near each end of one (the cap keeps the group's last or first 32 items)
    words = ["cord", "liver", "cord", "cauda equina", "lung", "cord", "cord"] * 7 + ["liver"]
    words += ["cord" if k in (20, 66, 70, 110) else "lung" for k in range(130)]
    joins = [[" and ", " or ", " compression, ", " of the ", " with ", " and the "][k % 6] for k in range(50)]
    joins += [" and "] * 130
    text, items = "", []
    for i, word in enumerate(words):
        items.append(Anatomy("organ", word, len(text), len(text) + len(word)))
        text += word + joins[i]
    pressed = [a for a in items if a.text == "cord"]
    sites = _ClauseSites(items, pressed, text, 0)
    for a in items:
        for start, end in [(a.start, a.end), (a.start - 3, a.end + 12), (max(0, a.start - 14), a.end)]:
            kept = [b for b in items if b not in pressed or (start < b.end and b.start < end)]
            expected = _Groups(_clusters(kept, text, 0, _SITE_GAP)).nearest(start, end)
            assert [(b.start, b.text) for b in sites.nearest(start, end)] == [(b.start, b.text) for b in expected]


def test_a_finding_before_a_long_list_of_bones_takes_its_first_32(extractor: Extractor) -> None:
    """The small version of bench/adversarial.py's findings-then-bones: a site group of 60 bones after 40
    findings gives each finding the 32 nearest to it (session 21), not all 60 (the record grew with the square)."""
    text = "FINDINGS: " + "lytic lesion, " * 40 + "of the " + "femur, tibia, humerus, " * 20 + "pelvis."
    record = extractor.record_for_text("t", text)
    first_bones = [k for k in range(len(text)) if text.startswith(("femur", "tibia", "humerus"), k)][:32]
    lesions = [m for m in record["mentions"] if m["text"] == "lytic lesion"]
    assert len(lesions) == 40
    assert all([loc["start"] for loc in m["locations"]] == first_bones for m in lesions)


def test_a_long_group_gives_a_mention_the_32_items_nearest_to_it() -> None:
    from reportnlp.nlp.components.locations import Anatomy, _capped

    group = [Anatomy("bone", "rib", 10 * k, 10 * k + 3) for k in range(100)]
    assert _capped(group[:32], 0) == group[:32]
    assert _capped(group, 0) == group[:32]  # a mention before the group
    assert _capped(group, 5000) == group[-32:]  # after it
    assert _capped(group, 500) == group[34:66]  # inside: 16 items before it, 16 from it on


def test_findings_of_one_clause_share_its_level_group_with_the_disc_range_merged(extractor: Extractor) -> None:
    """Mentions given the same group of 3 or more items write the same location dicts (made once per report and
    item, session 23), the range "L3-4 through L5-S1" expanded in every one of them."""
    text = "MRI LUMBAR SPINE\nFINDINGS: Disc bulge and facet arthropathy at L1-2, L2-3 and L3-4 through L5-S1."
    expected = [["L1-L2"], ["L2-L3"], ["L3-L4"], ["L3-L4", "L4-L5", "L5-S1"]]
    assert [loc.get("levels") for loc in locations(extractor, text, "Disc bulge")] == expected
    assert [loc.get("levels") for loc in locations(extractor, text, "facet arthropathy")] == expected


def test_a_field_takes_its_own_site_not_the_answered_field_before_it(extractor: Extractor) -> None:
    """Session 24: "Mets at dx-Bone: No  Mets at dx-Liver: Yes": the liver is the second field's site."""
    record = extractor.record_for_text("t", "REGISTRY ABSTRACT\nMets at dx-Bone: No  Mets at dx-Liver: Yes\n")
    second = [m for m in record["mentions"] if m["text"] == "Mets"][1]
    assert [loc.get("value") for loc in second["locations"] if loc["kind"] != "level"] == ["liver"]


def test_a_region_label_before_its_colon_is_still_the_findings_site(extractor: Extractor) -> None:
    values = [loc.get("value") for loc in locations(extractor, "Liver: metastases to the dome.", "metastases")]
    assert values == ["liver"]


def test_a_differential_after_a_semicolon_takes_the_findings_level(extractor: Extractor) -> None:
    """Session 26: the semicolon before "differential includes" cuts no clause: the differential's words are
    what the finding before it may be, at its level."""
    text = "FINDINGS: Increased enhancement in the T12 body; differential includes in-field recurrence vs radiation change."
    assert levels(extractor, text, "in-field recurrence") == ["T12"]
    # a semicolon before anything else still cuts the clause
    text = "FINDINGS: Increased enhancement in the T12 body; possible recurrence of the lung tumor."
    assert levels(extractor, text, "tumor") == []


def test_a_tissue_after_than_is_a_reference_not_a_site(extractor: Extractor) -> None:
    """Session 27: "uptake greater than marrow in the prostate bed": the marrow is what the uptake is measured against."""
    text = "FINDINGS: Focal uptake greater than marrow in the prostate bed, suspicious for local recurrence."
    # no bone: the prostate bed (an organ since session 31) is the uptake's only site
    assert [(loc["kind"], loc["text"]) for loc in locations(extractor, text, "Focal uptake")] == [("organ", "prostate")]
    text = "FINDINGS: Focal uptake in the marrow of L2, greater than the background liver."
    assert [loc["text"] for loc in locations(extractor, text, "Focal uptake")][:1] == ["marrow"]


def test_a_generic_bone_word_of_a_name_takes_the_bone_named_after_it(extractor: Extractor) -> None:
    """Session 28: "bone" in "unicameral bone cyst" is no site of its own; the humerus after "of" is."""
    found = locations(extractor, "XR HUMERUS\nImpression: Unicameral bone cyst of the proximal right humerus.", "bone cyst")
    assert [loc["value"] for loc in found] == ["bone", "humerus"]


def test_a_colon_after_a_finding_opens_its_site_list(extractor: Extractor) -> None:
    """Session 28: "Multifocal bone Langerhans cell histiocytosis: right parietal bone and left ilium" is at those
    bones, not only at the generic "bone" before it."""
    text = "CLINIC NOTE\nAssessment: Multifocal bone Langerhans cell histiocytosis: right parietal bone and left ilium."
    assert {loc["value"] for loc in locations(extractor, text, "Langerhans cell histiocytosis")} >= {"skull", "pelvis"}


@pytest.mark.parametrize(
    ("text", "phrase", "site"),
    [
        ("FINDINGS: Lytic lesion of the left mandibular body.", "lytic lesion", ("mandible", "left")),
        ("FINDINGS: Fracture of the right mandibular angle.", "fracture", ("mandible", "right")),
        ("FINDINGS: Expansile lesion of the right maxilla.", "expansile lesion", ("maxilla", "right")),
        ("FINDINGS: Fracture of the frontal process of the left maxilla.", "fracture", ("maxilla", "left")),
        ("FINDINGS: Fracture of the posterior wall of the left maxillary sinus.", "fracture", ("maxilla", "left")),
        ("FINDINGS: Fracture of the right zygomatic arch.", "fracture", ("zygoma", "right")),
        ("FINDINGS: Sclerotic focus in the left zygoma.", "sclerotic focus", ("zygoma", "left")),
        ("FINDINGS: Fracture of the left orbital floor.", "fracture", ("orbit", "left")),
        ("FINDINGS: Fracture of the medial wall of the right orbit.", "fracture", ("orbit", "right")),
        ("FINDINGS: Displaced nasal bone fracture.", "fracture", ("nasal bone", None)),
        ("FINDINGS: Fracture of the right occipital condyle.", "fracture", ("skull", "right")),
        ("FINDINGS: Lytic lesion of the left petrous apex.", "lytic lesion", ("skull", "left")),
        ("FINDINGS: Expansile lesion of the right greater sphenoid wing.", "expansile lesion", ("skull", "right")),
        ("FINDINGS: Sclerotic focus in the pterygoid plates.", "sclerotic focus", ("skull", None)),
        ("FINDINGS: Clival lytic lesion.", "lytic lesion", ("skull", None)),
    ],
)
def test_the_face_and_skull_base_bones_are_sites(
    extractor: Extractor, text: str, phrase: str, site: tuple[str, str | None]
) -> None:
    """Session 30 (wave 67): the jaw, the cheek, the orbit's walls, the nasal bones and the skull base are bones
    the record names, with their side; the skull base is the skull."""
    found = locations(extractor, text, phrase)
    assert [(loc["kind"], loc.get("region")) for loc in found] == [("bone", "head")]
    assert (found[0]["value"], found[0].get("laterality")) == site


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: Mucosal thickening of the left maxillary sinus with a retention cyst lesion.",
        "FINDINGS: Polypoid lesion in the sphenoid sinus.",
        "FINDINGS: Enhancing lesion of the orbital fat.",
        "FINDINGS: Lesion in the right submandibular gland.",
        "FINDINGS: Lesion of the left mandibular molar crown.",
        "FINDINGS: Lesion along the right zygomatic branch of the facial nerve.",
        "FINDINGS: Lesion of the ethmoid air cells.",
    ],
)
def test_the_sinuses_orbit_fat_glands_teeth_and_nerves_of_the_face_are_no_bone(extractor: Extractor, text: str) -> None:
    """Session 30: an air space, a gland, a tooth or a nerve named with a face bone's adjective is no bone, so a
    lesion there is no bone lesion."""
    record = extractor.record_for_text("t", text)
    assert all(loc["kind"] != "bone" for m in record["mentions"] for loc in m["locations"])
    assert record["labels"]["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    ("text", "phrase", "side"),
    [
        ("Pathologic fracture of the right 6th and 7th posterior ribs.", "pathologic fracture", "right"),
        ("Healing fractures of the left 4th-6th ribs laterally.", "fractures", "left"),
        ("Displaced fractures of the right 8th, 9th and 10th posterior ribs.", "fractures", "right"),
        ("Lytic lesion in the left fourth through sixth ribs.", "lytic lesion", "left"),
    ],
)
def test_a_ribs_side_reaches_over_its_run_of_numbers(extractor: Extractor, text: str, phrase: str, side: str) -> None:
    ribs = [loc for loc in locations(extractor, text, phrase) if loc.get("value") == "rib"]
    assert [loc.get("laterality") for loc in ribs] == [side]


def test_a_side_before_another_bone_does_not_reach_over_numbers_to_a_rib(extractor: Extractor) -> None:
    text = "Lytic lesion of the left 6th and right 7th ribs."
    assert [loc.get("laterality") for loc in locations(extractor, text, "lytic lesion") if loc.get("value") == "rib"] == [
        "right"
    ]


def test_rib_groups_with_sides_and_numbers_between_are_one_group(extractor: Extractor) -> None:
    text = "Osseous metastases in the right posterior 6th and 7th ribs, left lateral 4th through 6th ribs."
    ribs = [loc for loc in locations(extractor, text, "osseous metastases") if loc.get("value") == "rib"]
    assert [loc.get("laterality") for loc in ribs] == ["right", "left"]


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Osseous metastatic disease, thoracolumbar spine and left ilium.", ["bone", "thoracic spine", "pelvis"]),
        ("Osseous metastatic disease, cervicothoracic spine and sacrum.", ["bone", "cervical spine", "sacrum"]),
        ("Lytic osseous metastases to T6, right ribs and left ilium.", ["bone", "rib", "pelvis"]),
    ],
)
def test_a_generic_bone_finding_takes_the_bones_listed_after_its_comma(
    extractor: Extractor, text: str, sites: list[str]
) -> None:
    phrase = text.split(",")[0].removesuffix(" to T6")
    got = [loc["value"] for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]
    assert got == sites


def test_organs_after_a_generic_bone_findings_comma_are_not_its_sites(extractor: Extractor) -> None:
    text = "Osseous metastases, liver and spleen normal."
    assert [loc["kind"] for loc in locations(extractor, text, "osseous metastases")] == ["bone"]


def test_levels_named_with_their_vertebrae_between_are_one_group(extractor: Extractor) -> None:
    text = "Enhancing metastases in the C7, T4 and T9 vertebral bodies and the S1 and S2 segments."
    assert levels(extractor, text, "metastases") == ["C7", "T4", "T9", "S1", "S2"]


@pytest.mark.parametrize(
    ("text", "phrase", "side"),
    [
        ("Lytic lesions in both proximal femora.", "lytic lesions", "bilateral"),
        ("Lytic lesions of both femurs.", "lytic lesions", "bilateral"),
        ("Metastases to both the liver and the femur.", "metastases", None),
    ],
)
def test_both_before_a_bone_is_bilateral(extractor: Extractor, text: str, phrase: str, side: str | None) -> None:
    bones = [loc for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]
    assert [loc.get("laterality") for loc in bones] == [side]


def test_a_finding_under_a_level_heading_takes_only_the_headings_levels(extractor: Extractor) -> None:
    text = (
        "MRI LUMBAR SPINE\nFINDINGS:\nL5-S1: Left foraminal protrusion, and a small annular fissure at L4-5 above.\n"
        "Mild facet arthropathy.\n"
    )
    assert levels(extractor, text, "facet arthropathy") == ["L5-S1"]


@pytest.mark.parametrize("root", ["L5 nerve root", "S1 nerve roots", "L5 root"])
def test_a_nerve_roots_level_names_the_root_not_the_findings_level(extractor: Extractor, root: str) -> None:
    text = f"L5-S1: Left foraminal disc protrusion narrowing the left neural foramen and contacting the {root}."
    assert levels(extractor, text, "narrowing the left neural foramen") == ["L5-S1"]


def test_a_level_before_other_words_stays_a_level(extractor: Extractor) -> None:
    assert levels(extractor, "Lytic lesion in the L5 vertebral body.", "lytic lesion") == ["L5"]


@pytest.mark.parametrize(
    ("text", "phrase", "side"),
    [
        ("Acute fractures of the left L2 and L3 transverse processes.", "fractures", "left"),
        ("Fracture of the right T11 and T12 pedicles.", "fracture", "right"),
    ],
)
def test_a_side_reaches_over_the_levels_before_its_bone(extractor: Extractor, text: str, phrase: str, side: str) -> None:
    bones = [loc for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]
    assert [loc.get("laterality") for loc in bones] == [side]


def test_a_findings_side_reaches_over_its_level(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "Right C5-C6 foraminal stenosis.")
    assert next(m for m in record["mentions"] if "stenosis" in m["text"])["laterality"] == "right"


def test_sacral_segments_joined_by_a_hyphen_are_both_segments(extractor: Extractor) -> None:
    assert levels(extractor, "Metastasis to the right sacrum (S1-S2).", "metastasis") == ["S1", "S2"]
    assert levels(extractor, "Disc protrusion at L5-S1.", "disc protrusion") == ["L5-S1"]


def test_both_bones_of_a_forearm_are_no_side(extractor: Extractor) -> None:
    text = "Complete fracture of both bones of the forearm."
    assert all(loc.get("laterality") is None for loc in locations(extractor, text, "fracture"))


def test_a_range_naming_a_nerve_root_is_no_level(extractor: Extractor) -> None:
    text = "Disc herniation contacting the L5-S1 nerve root region."
    assert levels(extractor, text, "disc herniation") == []


@pytest.mark.parametrize(
    ("text", "phrase", "side"),
    [
        ("Acute fracture of the 8th rib on the left.", "fracture", "left"),
        ("Old fractures of the 5th and 6th ribs on the right are unchanged.", "fractures", "right"),
        ("Sclerotic foci in the iliac bones bilaterally.", "sclerotic foci", "bilateral"),
        ("Fracture of the 8th rib on the left of the image.", "fracture", None),
    ],
)
def test_a_side_right_after_its_site(extractor: Extractor, text: str, phrase: str, side: str | None) -> None:
    bones = [loc for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]
    assert [loc.get("laterality") for loc in bones] == [side]


@pytest.mark.parametrize("heading", ["L4-5 level:", "At L4-5:"])
def test_a_level_heading_may_name_its_level_word(extractor: Extractor, heading: str) -> None:
    text = f"MRI LUMBAR SPINE\nFindings:\n{heading}\nBroad disc bulge with moderate canal stenosis.\n"
    assert levels(extractor, text, "broad disc bulge") == ["L4-L5"]


@pytest.mark.parametrize(
    ("text", "phrase", "pelvis"),
    [
        ("New osseous metastases in the thoracolumbar spine and pelvis.", "osseous metastases", "bone"),
        ("Metastases to the lower lumbar spine, pelvis, and both femurs.", "metastases", "bone"),
        ("CT of the abdomen and pelvis shows free fluid.", "ct", "region"),
    ],
)
def test_the_pelvis_listed_with_named_bones_is_the_bony_pelvis(
    extractor: Extractor, text: str, phrase: str, pelvis: str
) -> None:
    assert [loc["kind"] for loc in locations(extractor, text, phrase) if loc["text"] == "pelvis"] == [pelvis]


def test_a_findings_side_after_its_level(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "Preoperative diagnosis: Herniated nucleus pulposus at L4-L5 on the left.")
    assert next(m for m in record["mentions"] if "nucleus" in m["text"].lower())["laterality"] == "left"


def test_a_bone_field_label_named_again_in_its_line_gives_way_to_the_named_bone(extractor: Extractor) -> None:
    text = "SKELETAL SURVEY\nRibs: Healing fracture of the right 5th rib.\nHumeri: Lucent lesion in the proximal left humerus.\n"
    rib = [(loc["text"], loc.get("laterality")) for loc in locations(extractor, text, "healing fracture")]
    assert rib == [("rib", "right")]
    humerus = [(loc["text"], loc.get("laterality")) for loc in locations(extractor, text, "lucent lesion")]
    assert humerus == [("humerus", "left")]


def test_a_bone_field_label_stays_when_its_line_names_no_bone_of_its_own(extractor: Extractor) -> None:
    text = "SKELETAL SURVEY\nRibs: Healing fracture posteriorly.\n"
    assert [loc["text"] for loc in locations(extractor, text, "healing fracture")] == ["Ribs"]


def test_iliac_nodal_disease_is_no_pelvic_bone(extractor: Extractor) -> None:
    text = "Left external iliac nodal disease and a lytic lesion."
    assert all(loc.get("value") != "pelvis" for loc in locations(extractor, text, "lytic lesion"))


def _bone_sides(extractor: Extractor, text: str, phrase: str) -> list[tuple[object, object]]:
    return [(loc.get("value"), loc.get("laterality")) for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]


@pytest.mark.parametrize(("title", "finding", "phrase", "sides"), [
    # the title's one side reaches a finding at its bone that names none (session 33)
    ("XR FEMUR LEFT 2 VIEWS", "Lytic lesion in the proximal femoral diaphysis.", "lytic lesion", [("femur", "left")]),
    ("RIGHT HUMERUS, TWO VIEWS", "Two lytic lesions in the humeral shaft.", "lytic lesions", [("humerus", "right")]),
    ("CT RIBS RIGHT", "Fractures of the 9th and 10th ribs laterally.", "fractures", [("rib", "right")]),
    # near misses: the finding's own side, another bone than the title's, a title with both sides or none
    ("XR FEMUR LEFT", "Lytic lesion in the right femoral neck.", "lytic lesion", [("femur", "right")]),
    ("XR FEMUR LEFT", "Lytic lesion in the sacrum.", "lytic lesion", [("sacrum", None)]),
    ("XR BOTH FEMURS", "Lytic lesion in the femoral shaft.", "lytic lesion", [("femur", None)]),
    ("XR LEFT AND RIGHT FEMUR", "Lytic lesion in the femoral shaft.", "lytic lesion", [("femur", None)]),
    ("XR FEMUR", "Lytic lesion in the femoral shaft.", "lytic lesion", [("femur", None)]),
])
def test_an_exam_titles_one_side_reaches_the_findings_at_its_bone(
        extractor: Extractor, title: str, finding: str, phrase: str, sides: list[tuple[object, object]]) -> None:
    assert _bone_sides(extractor, f"{title}\nFINDINGS: {finding}\n", phrase) == sides


@pytest.mark.parametrize(("finding", "phrase", "sites"), [
    # a mention opening a new phrase after "and" names its own site after it: the site before was the other
    # finding's (session 33)
    ("Fluid in the pelvis and a lytic lesion in the left femur.", "lytic lesion", [("bone", "femur")]),
    ("Sclerotic focus in the right ilium and a lytic lesion of the left femur.", "lytic lesion", [("bone", "femur")]),
    ("Moderate fluid in the left chest and a lytic lesion in the left 7th rib.", "lytic lesion", [("bone", "rib")]),
    # near misses: one list of sites after the mention, a site the mention's own phrase names before it
    ("Lytic lesions in the pelvis and the left femur.", "lytic lesions", [("bone", "pelvis"), ("bone", "femur")]),
    ("Metastases in the spine and pelvis.", "metastases", [("bone", "spine"), ("bone", "pelvis")]),
])
def test_a_site_before_and_belongs_to_the_finding_before(
        extractor: Extractor, finding: str, phrase: str, sites: list[tuple[str, str]]) -> None:
    text = f"CT ABDOMEN AND PELVIS\nFINDINGS: {finding}\n"
    got = [(loc["kind"], loc.get("value")) for loc in locations(extractor, text, phrase)]
    assert got == sites


@pytest.mark.parametrize(("title", "finding", "phrase", "sides"), [
    # a title's joint gives its one side to the bones the joint images (session 33)
    ("MRI LEFT SHOULDER", "Lytic lesion in the humeral head.", "lytic lesion", [("humerus", "left")]),
    ("XR RIGHT HIP", "Sclerotic lesion in the femoral neck.", "sclerotic lesion", [("femur", "right")]),
    # near miss: a bone the joint does not image
    ("MRI LEFT SHOULDER", "Lytic lesion in the 3rd rib.", "lytic lesion", [("rib", None)]),
])
def test_an_exam_titles_joint_gives_its_side_to_the_joints_bones(
        extractor: Extractor, title: str, finding: str, phrase: str, sides: list[tuple[object, object]]) -> None:
    assert _bone_sides(extractor, f"{title}\nFINDINGS: {finding}\n", phrase) == sides


def test_a_titles_side_gives_a_midline_bone_none(extractor: Extractor) -> None:
    text = "DXA LUMBAR SPINE AND LEFT HIP\nFINDINGS: Old compression fractures of the lumbar spine.\n"
    assert _bone_sides(extractor, text, "fractures") == [("lumbar spine", None)]


@pytest.mark.parametrize(
    ("text", "phrase", "level"),
    [
        ("Grade 1 spondylolisthesis of L5 on S1.", "spondylolisthesis", "L5-S1"),
        ("Anterolisthesis of L4 on L5 with facet arthropathy.", "anterolisthesis", "L4-L5"),
        ("Grade 1 listhesis L4 on 5.", "listhesis", "L4-L5"),
        ("3 mm retrolisthesis of T12 on L1.", "retrolisthesis", "T12-L1"),
    ],
)
def test_a_vertebra_slipped_on_the_next_is_placed_at_the_segment_between(
    extractor: Extractor, text: str, phrase: str, level: str
) -> None:
    # A listhesis is graded at the segment where the slip happens, a disc level (session 34).
    assert levels(extractor, text, phrase) == [level]


def test_a_listhesis_of_one_vertebra_stays_at_that_vertebra(extractor: Extractor) -> None:
    assert levels(extractor, "Grade 1 anterolisthesis of L4.", "anterolisthesis") == ["L4"]


def test_an_mri_sequence_or_a_date_after_on_is_no_slipped_segment(extractor: Extractor) -> None:
    assert levels(extractor, "Lytic lesion in L3, dark on T1 on T2 images.", "lytic lesion") == ["L3"]
    assert "C2-C3" not in levels(extractor, "Fracture of C2 on 3/4/2026 imaging.", "fracture")


def test_two_vertebrae_joined_by_on_without_a_slip_stay_two(extractor: Extractor) -> None:
    # "alignment of C1 on C2" tells no slip: the dens fracture after it is C2's, as before (session 34).
    text = "Satisfactory alignment of C1 on C2, no evidence of a dens fracture."
    assert levels(extractor, text, "fracture") == ["C2"]


@pytest.mark.parametrize(
    ("text", "phrase", "site", "side"),
    [
        ("Left femoral lytic lesion.", "lytic lesion", "femur", "left"),
        ("Right radial lytic lesion.", "lytic lesion", "radius/ulna", "right"),
        ("Left ulnar sclerotic lesion.", "sclerotic lesion", "radius/ulna", "left"),
        ("Left pubic lytic lesion.", "lytic lesion", "pelvis", "left"),
        ("Right femoral sclerotic metastasis.", "sclerotic metastasis", "femur", "right"),
    ],
)
def test_a_bones_adjective_before_a_bone_finding_names_the_bone(
    extractor: Extractor, text: str, phrase: str, site: str, side: str
) -> None:
    # Session 34 (w80_10): "femoral", "radial", "ulnar" and "pubic" alone are vessels, nerves, nodes or directions
    # as often as bones; before a bone lesion's look they are the bone.
    bones = [(loc["value"], loc.get("laterality")) for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]
    assert bones == [(site, side)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("Left femoral artery lesion.", "lesion"), ("Lesion near the radial artery.", "lesion")],
)
def test_a_vessels_adjective_names_no_bone(extractor: Extractor, text: str, phrase: str) -> None:
    assert not [loc for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"]


def bones(extractor: Extractor, text: str, phrase: str) -> list[str]:
    return sorted({str(loc["value"]) for loc in locations(extractor, text, phrase) if loc["kind"] == "bone"})


def test_a_pointing_back_sentences_cortex_is_the_bone_before(extractor: Extractor) -> None:
    # Session 34 (w77_05): "cortical" names bone in general; the sentence points back to the femur's fracture.
    text = ("Transverse fracture of the right proximal femur. "
            "The fracture passes through a lytic lesion with cortical destruction.")
    record = extractor.record_for_text("t", text)
    second = [m for m in record["mentions"] if m["text"] == "fracture"][-1]
    assert sorted({loc["value"] for loc in second["locations"] if loc["kind"] == "bone"}) == ["femur"]


def test_a_sentence_with_its_own_bone_keeps_it_after_a_pointing_back_opener(extractor: Extractor) -> None:
    text = "Transverse fracture of the right proximal femur. The fracture also reaches the left acetabulum."
    record = extractor.record_for_text("t", text)
    second = [m for m in record["mentions"] if m["text"] == "fracture"][-1]
    assert "pelvis" in {loc["value"] for loc in second["locations"] if loc["kind"] == "bone"}


def test_the_sentence_before_gives_its_named_bone_not_its_marrow(extractor: Extractor) -> None:
    # Session 34 (w77_42): "marrow" nearer the end is the named bone's marrow.
    text = ("Vertical fracture lines through both sacral alae with surrounding marrow oedema. "
            "These are typical of insufficiency fractures.")
    assert bones(extractor, text, "fractures") == ["sacrum"]


def test_the_sentence_before_with_only_marrow_still_gives_bone(extractor: Extractor) -> None:
    text = "Fracture lines with surrounding marrow oedema. These are typical of insufficiency fractures."
    assert bones(extractor, text, "fractures") == ["bone"]


def test_a_study_labels_bone_reaches_a_finding_with_only_bone_in_general(extractor: Extractor) -> None:
    # Session 34 (w78_14): the cortex is the humerus the study line names.
    text = ("ORTHOPAEDIC SURGERY CONSULT\nReason for consult: arm pain.\nImaging:\nXR L humerus 11/30: transverse "
            "fracture of the mid-diaphysis through a lytic lesion with cortical destruction.\nAssessment: Fracture.")
    assert bones(extractor, text, "fracture") == ["humerus"]


def test_a_study_labels_side_reaches_its_bone_named_without_one(extractor: Extractor) -> None:
    # Session 34 (w77_48)
    text = "ORTHOPAEDIC CONSULTATION\nX-rays of the right humerus (today): spiral fracture of the mid humeral shaft."
    found = [(loc["value"], loc.get("laterality")) for loc in locations(extractor, text, "fracture")
             if loc["kind"] == "bone"]
    assert found == [("humerus", "right")]


def test_a_study_labels_bone_does_not_replace_another_bone_the_finding_names(extractor: Extractor) -> None:
    text = "ORTHOPAEDIC CONSULTATION\nX-rays of the right humerus (today): fracture of the left clavicle."
    found = [(loc["value"], loc.get("laterality")) for loc in locations(extractor, text, "fracture")
             if loc["kind"] == "bone"]
    assert found == [("clavicle", "left")]


@pytest.mark.parametrize(("written", "found"), [
    ("Th12", ["T12"]), ("Th11-Th12", ["T11-T12"]), ("Th 12", []),
    ("Th1/Th2", ["T1-T2"]),  # with a finding of the spine beside it, the levels
])
def test_european_th_levels_are_thoracic(extractor: Extractor, written: str, found: list[str]) -> None:
    """European reports write the thoracic levels "Th" (session 34, w79_21)."""
    assert levels(extractor, f"CT SPINE\nFINDINGS: Osteolytic destruction of {written} vertebral body.", "Osteolytic") == found


def test_t_helper_cells_are_no_level(extractor: Extractor) -> None:
    text = "CT SPINE\nFINDINGS: Osteolytic destruction of the vertebral body. History: Th1/Th2 response on immunology."
    assert levels(extractor, text, "Osteolytic") == []


@pytest.mark.parametrize(("finding", "side"), [
    ("Large left paracentral L4/5 disc prolapse.", "left"),  # the level after the word (session 34, w79_39)
    ("Right L5-S1 foraminal disc protrusion.", "right"),
    ("Left paracentral disc protrusion at L5-S1.", "left"),
    # near miss: two words between the side and the level leave the side unread, as before
    ("Left sided and central L4/5 disc protrusion.", None),
])
def test_a_mentions_side_before_a_word_and_its_level(extractor: Extractor, finding: str, side: str | None) -> None:
    record = extractor.record_for_text("t", f"MRI LUMBAR SPINE\nFINDINGS: {finding}")
    mention = next(m for m in record["mentions"] if m["concept"] == "disc_herniation")
    assert mention.get("laterality") == side


NOTE_WITH_SPINE_LINES = (
    "SPINE CLINIC\nHistory: back pain.\nResults:\nMRI L-spine 3/4: multilevel disc desiccation. No fracture.\n"
    "CT C-spine 3/4: facet osteophytes, worse on the right. No fracture.\nPlan: physiotherapy.")


def test_a_study_labels_spine_segment_reaches_a_finding_with_no_level(extractor: Extractor) -> None:
    # Session 35: under "MRI L-spine 3/4:" a finding that names no level is in the lumbar spine, at no level.
    record = extractor.record_for_text("t", NOTE_WITH_SPINE_LINES)
    found = [(m["text"], [loc["value"] for loc in m["locations"]]) for m in record["mentions"]
             if m["concept"] in ("disc_degeneration", "facet_arthropathy", "fracture")]
    assert found == [("disc desiccation", ["lumbar spine"]), ("fracture", ["lumbar spine"]),
                     ("facet osteophytes", ["cervical spine"]), ("fracture", ["cervical spine"])]
    assert record["labels"]["degenerative"]["spondylosis"] == "not_mentioned"  # the facet joints' own osteophytes
    assert all(loc.get("inherited") and "levels" not in loc
               for m in record["mentions"] if m["concept"] != "modality" for loc in m["locations"])


@pytest.mark.parametrize("finding", [
    "L4-5 disc bulge.",  # near miss: a finding at its own level takes no segment beside it
    "Sclerotic focus in the left iliac bone.",  # nor one at a bone of its own
])
def test_a_study_labels_spine_segment_leaves_a_finding_with_its_own_place(extractor: Extractor, finding: str) -> None:
    record = extractor.record_for_text("t", f"PAIN CLINIC\nImaging:\nMRI lumbar spine w/wo 10/14: {finding}")
    mention = next(m for m in record["mentions"] if m["concept"] != "modality")
    assert "lumbar spine" not in [loc.get("value") for loc in mention["locations"]]


def test_a_study_labels_spine_segment_is_no_bone_of_an_epidural_finding() -> None:
    # Session 35 (w45_36): the segment names the spine's region (cord, canal, epidural space and bones), so "No epidural
    # tumor." under "MRI T-spine 11/29:" still denies no bone metastasis, and it meets no level's finding.
    from reportnlp.records.labels.sites import has_bone, sites_of
    segment = {"kind": "bone", "value": "thoracic spine", "region": "spine", "inherited": True, "text": "T-spine"}
    named = {"kind": "bone", "value": "thoracic spine", "region": "spine", "text": "thoracic spine"}
    assert not has_bone({"locations": [segment]}) and not sites_of({"locations": [segment]})
    assert has_bone({"locations": [named]}) and sites_of({"locations": [named]}) == {":thoracic spine"}


@pytest.mark.parametrize(("text", "found"), [
    # bone in general, then the bones its noun phrase lists after "including" (session 35, w80_24)
    ("Multiple lytic lesions consistent with myeloma bone disease, including the right humerus and left femur.",
     ["bone", "femur", "humerus"]),
    ("Osseous metastases including the left ilium.", ["bone", "pelvis"]),
    # near misses: an organ listed is no bone of a bone finding; a named bone before "including" keeps its own
    ("Diffuse bone metastases, including the liver.", ["bone"]),
    ("Lytic lesion in the left ilium, including the acetabular roof.", ["pelvis"]),
])
def test_bone_in_general_takes_the_bones_listed_after_including(extractor: Extractor, text: str, found: list[str]) -> None:
    record = extractor.record_for_text("t", text)
    assert bones(extractor, text, record["mentions"][0]["text"]) == found


def test_a_whole_spine_reports_segment_paragraph_heading_reaches_its_findings(extractor: Extractor) -> None:
    # Session 35 (w82_18): "CERVICAL SPINE:" heads the paragraph (the header read is its "SPINE"); a finding there with no
    # level is in the cervical spine, and one with its own level keeps only its level.
    text = ("MRI WHOLE SPINE\nFINDINGS:\nCERVICAL SPINE:\nMild disc bulges without canal stenosis.\n"
            "LUMBAR SPINE:\nSclerotic metastasis in the L3 vertebral body.\n")
    assert bones(extractor, text, "Mild disc bulges") == ["cervical spine"]
    assert "lumbar spine" not in bones(extractor, text, "Sclerotic metastasis")
