"""Assertion of mentions (labels.md section 2): a table of sentences and what they assert."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.assertion import FrameCues
from reportnlp.nlp.literals import _structure, _top_level_groups, closing_paren, required_any, required_groups, required_literal
from reportnlp.run.extractor import Extractor


def assertion_of(extractor: Extractor, text: str, phrase: str) -> str:
    record = extractor.record_for_text("t", text)
    found = [m for m in record["mentions"] if m["text"].lower() == phrase.lower()]
    assert found, f"no mention {phrase!r} in {[m['text'] for m in record['mentions']]}"
    return found[0]["assertion"]


CASES = [
    # present
    ("Blastic lesions consistent with osseous metastases.", "osseous metastases", "present"),
    ("Known osseous metastases are stable.", "osseous metastases", "present"),
    ("Old healed left rib fracture.", "fracture", "present"),
    ("Redemonstrated compression fracture of T12.", "fracture", "present"),
    # a comma clause that asserts its own finding is out of the hedge before the comma
    ("Basilar opacity most suggestive of atelectasis, old left 9th rib fracture seen.", "fracture", "present"),
    ("Sclerosis suspicious for metastasis, lytic lesion of the right 4th rib is identified.", "lytic lesion",
     "present"),
    ("Opacity suggestive of pneumonia, rib fracture.", "fracture", "possible"),
    # "is less likely": still in the differential
    ("Uptake in the rib is most likely traumatic; a metastasis is less likely.", "metastasis", "possible"),
    ("Opacity suggestive of pneumonia, effusion or rib fracture noted.", "fracture", "possible"),
    # possible
    ("Sclerotic focus suspicious for metastasis.", "metastasis", "possible"),
    ("Metastasis cannot be excluded.", "metastasis", "possible"),
    # an adverb inside the hedge keeps it a hedge, backward and forward
    ("A subtle fracture of the rib cannot be confidently excluded.", "fracture", "possible"),
    ("Osseous metastatic disease can not be definitely ruled out.", "osseous metastatic disease", "possible"),
    ("We cannot entirely exclude a nondisplaced fracture.", "fracture", "possible"),
    ("Findings concerning for a pathologic fracture.", "pathologic fracture", "possible"),
    ("Hemangioma versus metastasis.", "metastasis", "possible"),
    ("Indeterminate sclerotic lesion in L3.", "sclerotic lesion", "possible"),
    # absent
    ("No evidence of osseous metastatic disease.", "osseous metastatic disease", "absent"),
    ("The bone scan is negative for osseous metastases.", "osseous metastases", "absent"),
    ("There is no fracture.", "fracture", "absent"),
    ("A fracture is not seen.", "fracture", "absent"),
    ("The previously seen lytic lesion has resolved.", "lytic lesion", "absent"),
    ("The lytic lesion is no longer seen.", "lytic lesion", "absent"),
    ("Hemangioma rather than metastasis.", "metastasis", "absent"),
    ("Favored to be a hemangioma over metastasis.", "metastasis", "absent"),
    ("NO CORD COMPRESSION.", "cord compression", "absent"),
    # a past or lasting copula before "negative for" still negates forward (not "was negative" read backward)
    ("The skeletal survey was negative for metastatic disease.", "metastatic disease", "absent"),
    ("Both chest films were negative for a displaced fracture.", "fracture", "absent"),
    ("Spine imaging remained negative for cord compression.", "cord compression", "absent"),
    ("XR left wrist neg for fx.", "fx", "absent"),  # note shorthand of "negative for"
    ("The marrow signal has been negative for lytic lesions.", "lytic lesions", "absent"),
    ("The thoracic spine is clear of metastatic disease.", "metastatic disease", "absent"),
    # historical
    ("History of pathologic fracture of the femur.", "pathologic fracture", "historical"),
    ("Status post fixation of a femoral fracture.", "fracture", "historical"),
    # a study dated a year or more before the visit is history; one from days or weeks ago is this work-up
    ("Her echocardiogram two years ago was normal.", "echocardiogram", "historical"),
    ("She had a CT of the chest last year for a cough.", "CT", "historical"),  # session 15
    ("An MRI in the previous year was read as normal.", "MRI", "historical"),
    ("The MRI done last week was normal.", "MRI", "present"),
    ("The MRI of the brain nearly a year and a half ago showed nothing.", "MRI", "historical"),
    ("Films taken three weeks ago show the plate in place.", "Films", "present"),
    # hypothetical
    ("Evaluate for cord compression.", "cord compression", "hypothetical"),
    ("R/O fracture.", "fracture", "hypothetical"),
    ("Recommend MRI to evaluate for metastasis.", "metastasis", "hypothetical"),
    ("She was told the bone scan results would not change treatment.", "bone scan", "hypothetical"),
    ("The x-ray results will be reported to her when available.", "x-ray", "present"),
    ("A PET scan would add little beyond the CT scans already done.", "CT scans", "present"),
    # family
    # consent and risk lists name what may happen: hypothetical over the whole list
    ("We went over the risks of the operation, including bleeding, nerve injury and fracture.", "fracture", "hypothetical"),
    ("Risks include wound infection and recurrent disc herniation.", "recurrent disc herniation", "hypothetical"),
    ("She accepted the risks, including infection, bleeding and adjacent level stenosis.", "stenosis", "hypothetical"),
    ("Risks include, but are not limited to, infection, bleeding and fracture.", "fracture", "hypothetical"),
    ("Complications such as infection and fracture were explained.", "fracture", "hypothetical"),
    ("Possible complications including a periprosthetic fracture were reviewed.", "fracture", "hypothetical"),
    ("He was told about the risks of fracture with continued steroid use.", "fracture", "hypothetical"),
    ("Bleeding near the canal can compress the spinal cord.", "compress the spinal cord", "hypothetical"),
    ("A postoperative hematoma could compress the spinal cord.", "compress the spinal cord", "hypothetical"),
    ("Untreated, the lytic lesion could lead to a pathologic fracture.", "pathologic fracture", "hypothetical"),
    ("Osteoporosis can result in a vertebral compression fracture.", "fracture", "hypothetical"),
    ("A high risk of pathologic fracture in the femur.", "pathologic fracture", "hypothetical"),
    ("The bulging disc may compress the spinal cord.", "compress the spinal cord", "possible"),  # may: a hedge
    ("The postoperative course was complicated by a fracture of the femur.", "fracture", "present"),
    ("A retropulsed fragment compresses the spinal cord.", "compresses the spinal cord", "present"),
    ("Family history of multiple myeloma.", "multiple myeloma", "family"),
    ("His father had multiple myeloma.", "multiple myeloma", "family"),
    # failure classes found on development data (NegEx/ConText kits), in our own words
    ("No focal lesion in the spine.", "focal lesion", "absent"),  # "no" + a word the mention starts with
    ("No more than mild canal stenosis at L4-5.", "canal stenosis", "present"),  # pseudo-negation
    ("We do not know the cause of the fracture.", "fracture", "present"),  # pseudo-negation
    ("No fracture and positive for osseous metastases.", "osseous metastases", "present"),  # scope ends
    ("Low suspicion for metastasis.", "metastasis", "absent"),
    # an introductory negation ends where a comma and a pronoun subject open the main clause
    ("Without a history of trauma, this is most likely a pathologic fracture.", "pathologic fracture", "present"),
    ("Without any trauma, it appears to be an insufficiency fracture.", "fracture", "present"),
    # a denied trauma is the event denied, not the fracture after it, and a denied traumatic cause explains nothing
    ("Height loss of L1 without a trauma history, probably an insufficiency fracture.", "fracture", "present"),
    ("Collapse of T12 in the absence of trauma, most likely an osteoporotic fracture.", "fracture", "present"),
    ("Sclerotic focus in the left ilium, not related to trauma.", "related to trauma", "absent"),
    ("Lucent rib focus, not due to prior injury.", "due to prior injury", "absent"),
    ("Sclerotic focus in the left ilium, related to remote trauma.", "related to remote trauma", "present"),
    # "unlikely" right before a reading judges that reading, not the lesion before it
    ("Lucent focus in the right ilium, unlikely metastatic.", "metastatic", "absent"),
    ("Lucent focus in the right ilium, unlikely metastatic.", "Lucent focus", "present"),
    ("Blastic focus in the sacrum, unlikely a bone island.", "bone island", "absent"),
    ("Lytic focus in the sacrum; metastasis unlikely.", "metastasis", "absent"),
    ("Fracture: none.", "fracture", "absent"),
    # a checklist answer after a dash or a question mark is read as the colon's is
    ("Vertebral fracture - no.", "fracture", "absent"),
    ("Cord compression? No", "cord compression", "absent"),
    ("Bone metastases: none", "Bone metastases", "absent"),
    ("Vertebral fracture - yes.", "fracture", "present"),
    ("No. of vertebral fractures: 3", "fractures", "present"),  # "No." is a number sign, not a denial
    ("Compression fracture - no change.", "fracture", "present"),  # "no" opens a phrase, not an answer
    ("Several compression fractures, none of which is acute.", "fractures", "present"),
    # "none of the X is Y" denies Y; X, the subject, exists ("none of which" stays the pseudo cue above)
    ("None of the lumbar discs is herniated.", "herniated", "absent"),
    ("None of these sclerotic foci is suspicious for a metastasis.", "sclerotic foci", "present"),
    ("None of these sclerotic foci are suspicious for a metastasis.", "metastasis", "absent"),
    ("None of the rib fractures are displaced.", "fractures", "present"),
    ("70-year-old man with a history of multiple myeloma.", "multiple myeloma", "historical"),  # age is not "old"
    ("**AGE[in 70s]-year-old man with a history of multiple myeloma.", "multiple myeloma", "historical"),
    ("Her medical history is significant for multiple myeloma.", "multiple myeloma", "historical"),
    # an event at an age the patient has passed is history
    ("She broke the left wrist at age 9, a distal radius fracture.", "fracture", "historical"),
    ("He sustained a clavicle fracture at 14 years of age.", "fracture", "historical"),
    ("Fractured the right ankle as a child.", "Fractured", "historical"),
    ("Forearm fracture in childhood, treated in a cast.", "fracture", "historical"),
    ("He is 54 years of age and has an acute rib fracture.", "fracture", "present"),  # the age now
    # a finding of an earlier exam that is gone is denied, however the report says it is no longer there
    ("The sclerotic focus in the left ilium is no longer visible.", "sclerotic focus", "absent"),
    ("The lucent lesion of the femur is no longer appreciated.", "lucent lesion", "absent"),
    ("The blastic lesion at T9 is no longer apparent.", "blastic lesion", "absent"),
    ("The previously noted blastic focus in T4 is no longer visible.", "blastic focus", "absent"),
    # what a study may miss in general, with or without an adverb, is no finding of this exam
    ("No rib fracture is seen; nondisplaced fractures may be radiographically occult.", "fractures", "hypothetical"),
    ("Nondisplaced fractures can be clinically occult.", "fractures", "hypothetical"),
    # "can / may be seen with" names what a finding may be
    ("Cortical thinning, which can be seen with lytic metastases.", "lytic metastases", "possible"),
    ("This pattern may be seen with multiple myeloma.", "multiple myeloma", "possible"),
    # a recommendation after a semicolon reaches no finding before it, also after a narrowed scope
    ("Sclerotic focus in T10, which may represent a metastasis; follow-up is recommended.", "metastasis", "possible"),
    ("Lytic focus in L3, which could reflect myeloma; MRI is recommended.", "myeloma", "possible"),
    # an impending fracture has not happened
    ("Lytic metastasis of the femoral neck; impending pathologic fracture.", "pathologic fracture", "hypothetical"),
    ("Large lytic lesion with an impending fracture of the humerus.", "fracture", "hypothetical"),
    # so has impending cord compression (session 9): the cord is threatened, not yet compressed
    ("Epidural tumor at T8 with impending cord compression.", "cord compression", "hypothetical"),
    # "rather than progression of X" denies the change, not X
    ("Flare reaction rather than progression of the osseous metastases.", "osseous metastases", "present"),
    ("Likely treatment effect rather than worsening of the bone metastases.", "bone metastases", "present"),
    ("Degenerative uptake rather than metastasis.", "metastasis", "absent"),  # guard: the denial itself stays
    # a marrow finding whose sentence goes on to hedge what fills the marrow is hedged too
    ("Patchy marrow infiltration of the sacrum, suspicious for lymphoma.", "marrow infiltration", "possible"),
    ("Marrow replacement in both iliac bones, concerning for an infiltrative process.", "marrow replacement",
     "possible"),
    ("Marrow infiltration of the sacrum, consistent with myeloma.", "marrow infiltration", "present"),  # guard
    ("Myeloma lesions in the skull, concerning for progression.", "myeloma lesions", "present"),  # guard: a change hedged
    # a question answered in the next words is read by its answer
    ("Any rib fracture? None seen.", "fracture", "absent"),
    ("Cord compression? No.", "cord compression", "absent"),
    ("Is there a fracture of the left femur? Not seen.", "fracture", "absent"),
    ("Pathologic fracture? Possibly.", "pathologic fracture", "possible"),
    ("Fracture? Yes, through the lesser trochanter.", "fracture", "present"),  # guard: answered yes
    ("Any fracture? No acute fracture.", "fracture", "absent"),  # the answer restates it
    ("Compression fracture? No, but the L2 endplate is irregular.", "fracture", "absent"),
    # a bare "?" set before a finding in shorthand is a query (a hedge)
    ("?mets in the pelvis.", "mets", "possible"),
    ("? met at T6.", "? met", "possible"),
    ("Sclerotic focus in the sacrum, ?met.", "?met", "possible"),
    ("Which level? Mets at T6 and T7.", "mets", "present"),  # guard: a question before, not a query on the word
    # the written-out "query X" of British reports hedges X, as "?X" does (session 8)
    ("Sclerotic focus in L2, query metastasis.", "metastasis", "possible"),
    ("OPINION: Query early cord compression at T6.", "cord compression", "possible"),
    # criteria for a finding that are not met deny it
    ("The criteria for a superscan are not met.", "superscan", "absent"),
    ("Criteria for a pathologic fracture not met.", "pathologic fracture", "absent"),
    ("The focus doesn't meet criteria for a metastasis.", "metastasis", "absent"),
    ("These foci fail to meet the criteria for metastatic disease.", "metastatic disease", "absent"),
    ("The uptake pattern meets criteria for a superscan.", "superscan", "present"),  # guard: met
    # "w/o" is shorthand for "without", in lower case (one token) or capitals (split at the slash)
    ("Small disc protrusion w/o cord compression.", "cord compression", "absent"),
    ("Broad disc bulge W/O STENOSIS.", "STENOSIS", "absent"),
    ("Disc bulge with cord compression, w/o myelomalacia.", "cord compression", "present"),  # guard: before it
    # British and Australian "nil" before a finding denies it
    ("Nil cord compression at any level.", "cord compression", "absent"),
    ("Nil acute bony injury; healing fracture of the left clavicle.", "healing fracture", "present"),  # guard: scope ends
    # "neg" right after a finding answers it; two tokens back at most
    ("Bone scan impression: mets neg.", "mets", "absent"),
    ("Bony mets at T4, HER2 neg.", "Bony mets", "present"),  # guard: a receptor status
    # "as well as" goes on with a list like "and": a denial or hedge before it covers what follows
    ("No fracture as well as cord compression.", "cord compression", "absent"),
    ("Negative for acute fracture as well as cord compression.", "cord compression", "absent"),
    ("Evaluate for fracture as well as cord compression.", "cord compression", "hypothetical"),
    ("Compression fracture of L1 as well as cord compression at T12.", "cord compression", "present"),  # guard
    ("No fracture, dislocation as well as no cord compression.", "cord compression", "absent"),  # guard
    # a past-history list ends where the clause tells how the patient presents now
    ("A history of lymphoma, presents to clinic with cord compression at T9.", "cord compression", "present"),
    ("Elderly man with a history of gout and diabetes admitted after a fall with a hip fracture.", "fracture", "present"),
    ("A history of a wrist fracture, admitted for chest pain.", "fracture", "historical"),
    ("Known myeloma, presented with a pathologic fracture of T6.", "pathologic fracture", "present"),
    ("History of prostate cancer as well as a pathologic fracture of the femur.", "pathologic fracture",
     "historical"),  # guard: the list goes on
    # consent text names risks however it is worded
    ("Risks and benefits of the surgery, including infection and fracture, were explained.", "fracture",
     "hypothetical"),
    ("The risks, benefits and alternatives were reviewed with him including bleeding and cord compression.",
     "cord compression", "hypothetical"),
    ("The risks and benefits include nerve injury and vertebral fracture.", "fracture", "hypothetical"),
    ("Risks and benefits were discussed and he chose fixation of the fracture.", "fracture", "present"),  # guard
    # a hedge without a verb
    ("May healing rib fracture on the right.", "fracture", "possible"),
    ("Sclerotic focus in T7, may old compression fracture.", "fracture", "possible"),
    ("Maybe healing fracture of the left 7th rib.", "healing fracture", "possible"),
    ("Possible healing fracture of the right 9th rib.", "healing fracture", "possible"),  # guard
    ("The fracture may heal slowly.", "fracture", "present"),  # guard: a verb after may, about what follows
    # "resolved" as an impression's adjective before the finding denies it (wave 4)
    ("IMPRESSION: Resolved lytic lesion of the left ilium.", "lytic lesion", "absent"),
    ("Two prior findings: resolved sclerotic focus in T5 and a stable rib fracture.", "sclerotic focus", "absent"),
    ("Partially resolved lytic lesion of the left ilium.", "lytic lesion", "present"),  # guard: still there
    # "doubt X" at a clause start: the reader thinks X unlikely, read as "unlikely" is (absent)
    ("Faint lucency along the fifth metacarpal, doubt fracture.", "fracture", "absent"),
    ("I doubt a displaced fracture.", "fracture", "absent"),
    # "if (clinically) indicated" conditions the study it follows, not the findings before it (session 8)
    ("Sclerotic focus in T8, metastasis not excluded, MRI if clinically indicated.", "metastasis", "possible"),
    ("Sclerotic focus in T8, metastasis not excluded, MRI if clinically indicated.", "MRI", "hypothetical"),
    ("Lucency in the femoral neck, possible fracture, CT as clinically indicated.", "fracture", "possible"),
    # "if pain persists / symptoms continue" after a study offers it, as "if symptoms persist" does (session 16)
    ("Possible femoral neck fracture. MRI if pain persists.", "MRI", "hypothetical"),
    ("Possible femoral neck fracture. MRI if pain persists.", "fracture", "possible"),  # guard: studies only
    # "years ago" that dates the comparison study leaves the finding this exam shows (session 16)
    ("Compression deformity of L1, unchanged from radiographs two years ago.", "compression deformity", "present"),
    ("Healed rib fractures, unchanged compared to the chest CT 3 years ago.", "fractures", "present"),
    ("She fractured her wrist two years ago.", "fractured", "historical"),  # guard: the break itself is dated
    ("Rib fracture seen on CT 3 years ago.", "fracture", "historical"),  # guard: no comparison, a past finding
    # an exclusion hedge after "underlying" doubts the cause beneath, not the finding before it (session 16)
    ("New T8 compression deformity, underlying lesion not excluded.", "compression deformity", "present"),
    ("New T8 compression deformity, underlying lesion not excluded.", "lesion", "possible"),
    ("L1 compression fracture, an underlying lesion cannot be excluded.", "fracture", "present"),
    ("Lucency in the femoral neck, fracture not excluded.", "fracture", "possible"),  # guard: no cause named
    # "if needed" / "if necessary" likewise offer the study, not do it (session 8, wave 6b)
    ("Wedge fracture of L1, age unknown; MRI might date it if needed.", "MRI", "hypothetical"),
    ("Wedge fracture of L1, age unknown; MRI might date it if needed.", "fracture", "present"),
    ("Subtle lucency of the radius, possible fracture, CT if necessary.", "CT", "hypothetical"),
    # nor does a recommendation after the findings ("... is suggested", "to further evaluate", "if symptoms persist")
    ("Indeterminate sclerotic lesion in T8, MRI is suggested for further characterization.", "sclerotic lesion",
     "possible"),
    ("Indeterminate sclerotic lesion in T8, MRI is suggested for further characterization.", "MRI", "hypothetical"),
    # "<study> for confirmation" proposes the study (session 9): it was not done
    ("Indeterminate sclerotic focus in T6. Bone scan for confirmation.", "Bone scan", "hypothetical"),
    ("A bone scan was performed for confirmation of the finding.", "bone scan", "present"),  # guard: done
    ("Lytic lesion in T10, MRI to further evaluate.", "Lytic lesion", "present"),
    ("Possible scaphoid fracture, repeat radiographs in ten days if symptoms persist.", "fracture", "possible"),
    ("A cystic lesion of the left kidney, correlation with ultrasound is advised.", "lesion", "present"),
    # "unusual / atypical for X" argues against X, as "not typical of" does (session 8, British phrasing)
    ("Appearances would be unusual for a metastasis.", "metastasis", "absent"),
    ("The pattern is atypical for an insufficiency fracture.", "fracture", "absent"),
    ("An unusual lytic lesion in the rib.", "lytic lesion", "present"),  # guard: "unusual" alone denies nothing
    # other ways of writing "cannot exclude" (session 8)
    ("Metastasis is difficult to exclude.", "Metastasis", "possible"),
    ("Unable to exclude an occult fracture of the scaphoid.", "fracture", "possible"),
    ("Cannot confidently exclude metastasis.", "metastasis", "possible"),
    ("Metastasis cannot be entirely discounted.", "Metastasis", "possible"),
    ("Metastasis is not thought likely.", "Metastasis", "absent"),
    ("CT to exclude fracture.", "fracture", "hypothetical"),  # guard: "to exclude" alone still asks
    # British spelling of "not visualised" denies, as "not visualized" does
    ("The previously seen sclerotic focus is not visualised.", "sclerotic focus", "absent"),
    # "less likely" after the finding, with a verb of judgement or none: still in the differential
    ("Sclerotic rib focus; metastasis is considered less likely.", "metastasis", "possible"),
    ("Differential includes myeloma, metastasis felt less likely.", "metastasis", "possible"),
    # "less likely" before the finding (session 24): a hedge that leans away keeps it in the differential
    ("Atypical hemangioma favored; less likely metastatic disease.", "metastatic disease", "possible"),
    ("Rib foci suggest trauma, less likely metastasis.", "metastasis", "possible"),
    # an uptake the sentence says has gone (session 24), and a lesion never called avid that shows none
    ("The previously avid osseous foci show no uptake above background.", "avid osseous foci", "absent"),
    ("The avid osseous foci show no change.", "avid osseous foci", "present"),
    ("Lytic metastasis; fibrous dysplasia is less likely. Pathologic fracture.", "Pathologic fracture", "present"),
    # a level heading ("L3-L4:") ends the reach of a cue on the line before (a per-level template line)
    ("L2-L3: small bulge, no stenosis\nL3-L4: annular fissure", "annular fissure", "present"),
    ("L3-L4: No stenosis or annular fissure.", "annular fissure", "absent"),  # guard: the cue after the heading
    # contractions read as their full forms (the tokenizer splits do|n't, do|nt)
    ("I don't see a definite fracture.", "fracture", "absent"),
    ("I don\u2019t see any evidence of fracture.", "fracture", "absent"),
    ("There isn't any cord compression.", "cord compression", "absent"),
    ("We dont see a compression fracture.", "fracture", "absent"),
    ("A lytic lesion isn't seen.", "lytic lesion", "absent"),
    ("Can't exclude a subtle rib fracture.", "fracture", "possible"),
    ("Metastasis can't be ruled out.", "metastasis", "possible"),
    ("Couldn't rule out a pathologic fracture.", "pathologic fracture", "possible"),
    ("Abdomen NT, ND. Old rib fracture.", "fracture", "present"),  # guard: 'NT' (nontender) is no negation
    # a denial whose 'there is' would otherwise end its scope
    ("I do not think there is a fracture.", "fracture", "absent"),
    ("I don't believe that there is any cord compression.", "cord compression", "absent"),
    ("I do not think there is a fracture but there is a lytic lesion.", "lytic lesion", "present"),  # guard
    # "is unlikely" after the finding, and a subject that ruled something out
    ("Metastasis is unlikely.", "metastasis", "absent"),
    ("There is a rib fracture; metastasis is unlikely.", "fracture", "present"),  # guard
    # "unlikely / doubtful that ..." reaches past the "that" (and "there is") that ends other scopes
    ("It is unlikely that this represents a fracture.", "fracture", "absent"),
    ("It is doubtful that the sclerotic focus is a metastasis.", "metastasis", "absent"),
    ("Unlikely that there is cord compression.", "cord compression", "absent"),
    ("A fracture of the rib is doubtful.", "fracture", "absent"),
    ("It is unlikely that this is a fracture, but a metastasis is present.", "metastasis", "present"),  # guard
    # other ways a reader leans against a diagnosis (absent) or raises it without confirming it (possible)
    ("Osseous metastatic disease is not favored.", "osseous metastatic disease", "absent"),
    ("Sclerotic focus in the ilium, atypical for metastasis.", "metastasis", "absent"),
    ("A nondisplaced rib fracture is doubtful.", "fracture", "absent"),
    ("Lucency worrisome for, but not diagnostic of, a pathologic fracture.", "pathologic fracture", "possible"),
    ("An osseous metastasis is difficult to exclude.", "osseous metastasis", "possible"),
    ("It is hard to rule out a subtle fracture of the sacrum.", "fracture", "possible"),
    ("Sclerotic focus diagnostic of a bone island; healed rib fracture.", "fracture", "present"),  # guard
    ("CT ruled out a fracture.", "fracture", "absent"),
    ("We ruled out cord compression.", "cord compression", "absent"),
    # a study still to come, said in more ways (session 12)
    ("We will do a kidney ultrasound tomorrow.", "ultrasound", "hypothetical"),
    ("We'll perform a lumbar MRI.", "MRI", "hypothetical"),
    ("We will go ahead and check an MRI of the brain.", "MRI", "hypothetical"),
    ("A targeted ultrasound would also be helpful.", "ultrasound", "hypothetical"),
    ("A pelvic CT has already been ordered by the team.", "CT", "hypothetical"),
    ("A low-dose CT is more sensitive for small nodules.", "CT", "hypothetical"),
    ("The CT was done yesterday and we will send a copy.", "CT", "present"),  # guard: 'send' is no cue
    # a malignant reading posed as the alternative to a benign word (session 12)
    ("Low T1 marrow signal in T9, reactive or tumor infiltration.", "tumor infiltration", "possible"),
    ("Marrow oedema in the left ilium, tumour or reactive change.", "tumour", "possible"),
    ("Marrow oedema in the left ilium from tumour infiltration.", "tumour infiltration", "present"),  # guard
    # session 15: a malignant look-alike a benign reading leaves open, and a study the plan will not do
    ("Probably a bone island, though a treated blastic metastasis could look similar.", "blastic metastasis", "possible"),
    ("A bone island is likely; a blastic metastasis may appear similar.", "blastic metastasis", "possible"),
    ("Back strain. We will not pursue an MRI unless the pain persists.", "MRI", "hypothetical"),
    ("The chest film will not change management.", "chest film", "present"),  # guard: no study verb follows
    # session 15 (wave 18): what a patient is safety-netted for has not happened
    ("Plan: radiotherapy to T4. Safety-netted for spinal cord compression.", "spinal cord compression", "hypothetical"),
    # ("Safety-netted for MSCC symptoms.": "MSCC symptoms" names no finding at all since session 16, test_labels.py)
    ("Safety netting advice given about cord compression.", "cord compression", "hypothetical"),
    # session 16 (wave 21): shorthand history with its "of" dropped
    ("Problems: 1) HTN. 2) hx T8 compression fx 2019.", "fx", "historical"),
    ("Problems: 1) HTN. 2) T8 compression fx 2019.", "fx", "present"),  # guard: no "hx"
    # session 30 (wave 68): a template's field indented under its heading is read by its value, as at a line start
    ("FINDINGS:\n       Fracture:   None\n       Cord compression:   No\n       L3-4:  Normal", "Cord compression", "absent"),
    ("FINDINGS:\n       Cord compression:   mild, at T9", "Cord compression", "present"),  # guard: a value of its own
    # session 16 (wave 21): an EHR template's checkboxes
    ("Imaging: [x] XR L-spine  [ ] CT  [ ] MRI", "CT", "absent"),
    ("XR L-spine: [ ] fracture  [x] no acute fracture", "fracture", "absent"),
    ("XR L-spine: [x] no acute fracture  [x] degenerative changes", "degenerative changes", "present"),
    ("Imaging: [x] XR L-spine  [ ] CT", "XR", "present"),
    ("A 9 mm lytic focus in T7; MRI could further evaluate.", "MRI", "hypothetical"),
    ("MRI of the thoracic spine would better characterize the T7 focus.", "MRI", "hypothetical"),
    ("The CT could not exclude a fracture.", "CT", "present"),  # guard: no evaluating verb after it
    # session 17 (wave 23): a subspecialist's closing advice, a study done at follow-up, a PET's correlate
    ("IMPRESSION: Indeterminate L3 lesion. CT or short-interval MRI suggested.", "CT", "hypothetical"),
    ("IMPRESSION: Indeterminate L3 lesion. CT or short-interval MRI suggested.", "MRI", "hypothetical"),
    ("MRI of the whole spine and sampling of the psoas collection advised.", "MRI", "hypothetical"),
    ("Unstable fracture at C6-7. MRI to evaluate cord and ligaments.", "MRI", "hypothetical"),
    ("PLAN: 2. Echocardiogram to assess the aortic valve.", "Echocardiogram", "hypothetical"),
    ("The CT suggested a fracture of the pars.", "CT", "present"),  # guard: the study is the verb's subject
    ("A follow-up MRI was done on 3/20 confirming a metastasis.", "metastasis", "present"),
    ("A follow-up MRI was done on 3/20 confirming a metastasis.", "MRI", "present"),
    ("Follow-up MRI in 8 weeks to assess the T10 lesion.", "MRI", "hypothetical"),  # guard: still a plan
    ("Marrow uptake in L2 without CT correlate, in keeping with lymphomatous marrow involvement.",
     "lymphomatous marrow involvement", "present"),
    ("No cord/cauda compression.", "cord/cauda compression", "absent"),
    ("On review, the overnight report described compression of the cauda equina at L4-5.",
     "compression of the cauda equina", "historical"),
    # session 17 (wave 25): absent from the prior study is new, not denied
    ("9 mm sclerotic focus in T6, not seen on the prior.", "sclerotic focus", "present"),
    ("Lytic lesion in the iliac wing, not present on the previous study.", "Lytic lesion", "present"),
    ("A sclerotic lesion in L2 which was not evident previously.", "sclerotic lesion", "present"),
    ("The lytic focus in the 6th rib is not seen on today's study.", "lytic focus", "absent"),
    ("Atelectasis at the left base (not seen on prior chest x-ray).", "x-ray", "historical"),
    # a comma item graded by its own severity word ends a denial's list
    ("MRI reviewed: no HNP, mild bilateral facet arthropathy at L4-5.", "facet arthropathy", "present"),
    ("MRI reviewed: no HNP, mild bilateral facet arthropathy at L4-5.", "HNP", "absent"),
    ("No spondylolisthesis, significant canal narrowing or cord compression.", "cord compression", "absent"),
    ("No fracture, dislocation or subluxation.", "fracture", "absent"),
    ("CT myelogram to eval foraminal stenosis at L4-5.", "foraminal stenosis", "hypothetical"),
    # session 20 (wave 30): a comma item that opens with its own hedge ends a denial's list too
    ("No effusion, possible fracture of the left 6th rib.", "fracture", "possible"),
    ("No fracture, query cord compression at T4.", "cord compression", "possible"),
    ("No fracture, query cord compression at T4.", "fracture", "absent"),
    ("Absence of the left pedicle, ?lytic lesion in L3.", "lytic lesion", "possible"),
    ("No fracture, dislocation or lytic lesion.", "lytic lesion", "absent"),  # guard: a list with no hedge
    # session 21: a comma item that opens with its own affirming word ends a denial's list, and keeps affirming
    ("No fracture, probable bone island in the femoral head.", "bone island", "present"),
    ("Lytic lesions in C7 and T11, likely metastases given the history of myeloma.", "myeloma", "present"),
    ("Sclerotic lesions in T9, consistent with metastases given the history of myeloma.", "myeloma", "present"),
    ("A sclerotic focus in the L4 pedicle cannot be excluded as a metastasis.", "metastasis", "possible"),
    ("A sclerotic focus in the L4 pedicle cannot be excluded as a metastasis.", "sclerotic focus", "possible"),
    ("A bony deposit would upstage the disease to M1b.", "bony deposit", "hypothetical"),
    ("MRI would help.", "MRI", "hypothetical"),
    ("New fracture of T8 since a chest radiograph in 2025.", "radiograph", "historical"),
    # a problem table's status cell
    ("Pathologic fx R femur\ts/p IMN 2023", "Pathologic fx", "historical"),
    ("| L1 compression fracture | s/p kyphoplasty 2024 |", "fracture", "historical"),
    ("L1 compression fracture s/p kyphoplasty.", "fracture", "present"),  # prose: treated, still there
    # session 18 (wave 27): a plan's clause that opens with a study and puts a condition after it
    ("Will get T-spine XR today; MRI T-spine if neuro sx or XR equivocal.", "MRI", "hypothetical"),
    ("# Back pain - MRI L-spine if neuro deficits develop.", "MRI", "hypothetical"),
    ("Plan: CT abdomen/pelvis with contrast if fever recurs.", "CT", "hypothetical"),
    ("MRI showed little if any stenosis.", "MRI", "present"),  # guard: a verb stands between, "if any"
    ("CT head neg. Will d/c if ambulating.", "CT", "present"),  # guard: the condition is the discharge's
    ("Back pain - MRI L-spine showed an L4-5 HNP; PT if no better.", "MRI", "present"),  # guard: a result
    # a problem list's dash status and its years (session 18)
    ("3. H/o T11 compression fx - healed\n4. CKD", "fx", "historical"),
    ("Right sixth rib fracture - healed.", "fracture", "present"),
    ("2. L2 compression fracture (2018)\n3. Diabetes", "fracture", "historical"),
    ("- Right hip fracture, 2016\n- Gout", "fracture", "historical"),
    ("Right hip fracture, 2016 series, unchanged.", "fracture", "present"),
    # a plan's study named with what it is to confirm (session 18)
    ("1. Hip pain. MRI R femur to confirm and r/o mets.", "MRI", "hypothetical"),
    ("Bone scan to confirm.", "Bone scan", "hypothetical"),
    ("Fluoroscopy to confirm the level was obtained.", "Fluoroscopy", "present"),
    # an r/o answered by its denial ends there (session 18)
    ("R/o cord compression - resolved 01/2024, MRI negative", "MRI", "present"),
    ("Back pain - r/o cord compression, MRI pending", "MRI", "hypothetical"),
    # session 26 (wave 53): a need to exclude asks; a study of an earlier year a finding was not seen on is the
    # comparison, and the finding new; a graded aside; the alternative reading; a study to come
    ("New sclerotic L3 focus - osseous metastasis must be excluded.", "osseous metastasis", "hypothetical"),
    ("Lucent T11 lesion. Metastasis needs to be ruled out.", "Metastasis", "hypothetical"),
    ("Sclerotic focus in the L3 body, not seen on the 2022 staging CT.", "Sclerotic focus", "present"),
    ("Sclerotic focus in the L3 body, not seen on the 2022 staging CT.", "CT", "historical"),
    ("The canal is moderately, not severely, narrowed by a broad disc bulge.", "broad disc bulge", "present"),
    ("Possible early discitis; Modic 1 change remains the alternative.", "Modic 1 change", "possible"),
    ("Continue brace until upright films at 12 weeks.", "films", "hypothetical"),
    # session 31 (wave 71): "now resolved" says gone as "resolved" does; the pain's own stays the pain's
    ("Cord compression at T9, now resolved.", "Cord compression", "absent"),
    ("The cord compression has now resolved.", "cord compression", "absent"),
    ("L1 fracture s/p kyphoplasty, pain now resolved.", "fracture", "present"),
    # session 34 (wave 79): "no progression of" denies the change, not the lesion; a question told in the third person
    ("No progression of the lytic lesion in the humerus.", "lytic lesion", "present"),
    ("No interval enlargement of the sclerotic lesion in T9.", "sclerotic lesion", "present"),
    ("No lytic lesion in the humerus.", "lytic lesion", "absent"),  # near miss: a plain denial
    ("She asks whether she could have cancer in her spine.", "cancer in her spine", "hypothetical"),
    ("Her husband wants to know if the cancer has spread to the bones.", "cancer has spread to the bones", "hypothetical"),
    # near miss: told, not asked
    ("She was told the cancer has spread to the bones.", "cancer has spread to the bones", "present"),
    ("The question of cord compression cannot be addressed on this study.", "cord compression", "hypothetical"),
    ("The previously avid lesion in T11 now shows uptake below liver background.", "avid lesion", "absent"),
    # near miss: uptake above the liver is still there
    ("The previously avid lesion in T11 now shows uptake above liver background.", "avid lesion", "present"),
]


@pytest.mark.parametrize(("text", "phrase", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_gives_assertion(extractor: Extractor, text: str, phrase: str, expected: str) -> None:
    assert assertion_of(extractor, text, phrase) == expected


@pytest.mark.parametrize("phrase", ["lytic", "blastic lesion", "fracture", "cord compression"])
def test_no_scopes_over_a_coordinated_list(extractor: Extractor, phrase: str) -> None:
    text = "No lytic or blastic lesion, fracture or cord compression."
    assert assertion_of(extractor, text, phrase) == "absent"


@pytest.mark.parametrize("ender", ["but", "however", "although", "which", ";"])
def test_negation_scope_ends_at_a_terminator(extractor: Extractor, ender: str) -> None:
    text = f"No lytic lesion {ender} there is a compression fracture."
    assert assertion_of(extractor, text, "fracture") == "present"


def test_negation_does_not_cross_a_sentence(extractor: Extractor) -> None:
    assert assertion_of(extractor, "No fracture.\nMild disc bulge at L4-5.", "mild disc bulge") == "present"


def test_cue_wrapped_over_a_line_break_still_applies(extractor: Extractor) -> None:
    assert assertion_of(extractor, "There is no evidence\nof osseous metastases.", "osseous metastases") == "absent"


def test_record_names_the_cue_that_decided(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "Sclerotic focus suspicious for metastasis.")
    met = next(m for m in record["mentions"] if m["text"] == "metastasis")
    decided = [c for c in met["cues"] if c["decided"]]
    assert [(c["text"], c["category"]) for c in decided] == [("suspicious for", "POSSIBLE_EXISTENCE")]
    assert record_text_slice("Sclerotic focus suspicious for metastasis.", decided[0]) == "suspicious for"


def test_an_affirming_word_opening_a_comma_item_is_named_as_the_cue(extractor: Extractor) -> None:
    text = "Sclerotic lesion in L2, likely metastasis."
    record = extractor.record_for_text("t", text)
    met = next(m for m in record["mentions"] if m["text"] == "metastasis")
    assert [(record_text_slice(text, c), c["category"]) for c in met["cues"]] == [(", likely", "AFFIRMED_ITEM")]


def test_an_affirming_phrase_opening_a_comma_item_is_named_as_the_cue(extractor: Extractor) -> None:
    text = "Sclerotic lesion in L2, in keeping with metastasis."
    record = extractor.record_for_text("t", text)
    met = next(m for m in record["mentions"] if m["text"] == "metastasis")
    assert [(record_text_slice(text, c), c["category"]) for c in met["cues"]] == [(", in keeping with", "AFFIRMED_ITEM")]


def record_text_slice(text: str, cue: dict[str, object]) -> str:
    return text[int(cue["start"]) : int(cue["end"])]  # type: ignore[call-overload]


def test_past_negative_for_negates_only_up_to_but(extractor: Extractor) -> None:
    text = "The skeletal survey was negative for metastatic disease but showed an old rib fracture."
    assert assertion_of(extractor, text, "metastatic disease") == "absent"
    assert assertion_of(extractor, text, "fracture") == "present"


def test_a_copula_negative_alone_still_negates_backward(extractor: Extractor) -> None:
    assert assertion_of(extractor, "Metastatic workup was negative.", "metastatic") == "absent"


def test_a_risk_list_ends_at_but(extractor: Extractor) -> None:
    text = "We discussed the risks, including fracture, but the radiograph shows a healing rib fracture."
    record = extractor.record_for_text("t", text)
    assertions = [m["assertion"] for m in record["mentions"] if m["concept"] == "fracture"]
    assert assertions == ["hypothetical", "present"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("No fracture, dislocation or lytic lesion.", "lytic lesion"),
        ("No fracture, dislocation or lytic lesion.", "fracture"),
        ("No lytic or blastic lesion, fracture or cord compression.", "cord compression"),
        ("There is no fracture, this is a normal study.", "fracture"),
    ],
)
def test_a_denied_list_keeps_its_scope_past_commas(extractor: Extractor, text: str, phrase: str) -> None:
    assert assertion_of(extractor, text, phrase) == "absent"


def test_record_names_a_frame_cue(extractor: Extractor) -> None:
    text = "A hematoma could compress the spinal cord."
    record = extractor.record_for_text("t", text)
    cord = next(m for m in record["mentions"] if m["concept"] == "cord_compression")
    assert [(c["text"], c["rule"], c["decided"]) for c in cord["cues"]] == [("could", "frame_modal_before_verb", True)]
    assert record_text_slice(text, cord["cues"][0]) == "could"


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        ("\\bcriteri(?:a|on)\\s+for", "criteri"),  # a group is not sure: the run before it is
        ("[^.?!;\\n]{0,60}\\?\\s*(?:no|none)\\b", "?"),  # an escaped "?" is a literal, a class is not
        ("\\bmay\\s+(?:old|new)\\b[^.;]{0,40}", "may"),
        ("ab?cd", "cd"),  # a quantified character is optional
        ("\\b(?:can|could)\\s+", ""),  # nothing outside the group
        ("no|none", ""),  # a top-level alternation makes nothing sure
        ("\\x41bc", ""),  # a longer escape is not read: nothing is taken as sure
        ("[[:alpha:]]x", ""),  # nor a class inside a class
        ("\\?\\s*met", "met"),
    ],
)
def test_a_frame_is_skipped_only_when_a_literal_it_must_hold_is_missing(pattern: str, literal: str) -> None:
    assert required_literal(pattern) == literal


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("\\b(?:can|could|would)\\s+(?:(?:also|then)\\s+)?", ("can", "could", "would")),
        ("^(?:May|might)\\s+", ("may", "might")),  # lower-cased, as the words before the mention are
        ("\\b(?:can|could)?\\s*x", ()),  # an optional group holds nothing for sure
        ("\\b(?:can|could)\\s+|\\bso\\s+", ()),  # nor a branch of a top-level alternation
        ("\\b(?:can|could)\\s+[|(]x", ("can", "could")),  # a "|" in a class is no alternation
        ("\\bno\\s+", ()),  # no group of words first
        ("\\b(?:multi-?level|(?:any|all)\\s+levels?)\\b", ("multi", "level")),  # each alternative's own literal
        ("\\b(?:level|(?:any|all)\\s+)\\b", ()),  # an alternative with none makes nothing sure
        ("^[^|\\t]{0,40}?(?:\\t|[ ]*\\|)[ \\t]*s/p", ("\t", "|")),  # a group after the opening; a tab is a literal
        ("\\s+(?:of\\s+\\w+)?\\s+(?:approved|denied)\\b", ("approved", "denied")),  # the first group not optional
        ("(?:a|b)?x(?=\\s+(?:can|could))", ()),  # a lookahead's words are not part of the match
        ("\\s+(?P<verb>can|could)\\b", ("can", "could")),  # a named group is gone through as any other
    ],
)
def test_a_pattern_needs_one_of_the_literals_of_the_group_it_goes_through(pattern: str, words: tuple[str, ...]) -> None:
    assert required_any(pattern) == words


@pytest.mark.parametrize(
    ("pattern", "groups"),
    [
        ("\\b(?:on|in)\\s+(?:the\\s+)?(?:old|comparison)\\s+", (("on", "in"), ("old", "comparison"))),  # every group
        ("\\b(?:can|could)\\s+(?:also\\s+)?", (("can", "could"),)),  # an optional group makes nothing sure
        ("\\b(?:can|could)\\s+|\\bso\\s+(?:a|b)", ()),  # nor a branch of a top-level alternation
        ("(?:is|are)\\s+(?:x|(?:y)?)", (("is", "are"),)),  # an alternative without a literal of its own
    ],
)
def test_a_pattern_needs_one_literal_of_each_group_it_goes_through(pattern: str, groups: tuple[tuple[str, ...], ...]) -> None:
    assert required_groups(pattern) == groups
    assert required_any(pattern) == (groups[0] if groups else ())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab(|)?*\\[]:<>P", max_size=30))
def test_each_top_level_group_closes_where_closing_paren_says(pattern: str) -> None:
    """The one-pass reading of a pattern's top-level groups (required_groups) finds the closing parenthesis a
    scan from each group's start finds, also in unbalanced patterns."""
    expected, depth = [], 0
    for i, c in _structure(pattern):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "(" and depth == 1:
            expected.append((i, closing_paren(pattern, i)))
    assert _top_level_groups(pattern) == expected


def test_a_frame_is_read_only_where_a_word_of_each_of_its_groups_stands() -> None:
    frames = FrameCues([{"id": "past", "category": "HISTORICAL", "before": "\\b(?:on|in)\\s+(?:the\\s+)?(?:old|prior)\\s+"}])
    text = "Seen in the prior CT. Seen in the new CT. Seen on old CT."
    found = [[hit[0] for hit in frames.read(text, (0, len(text)), (at, at + 2), "MODALITY")]
             for at in (text.index("CT"), text.index("CT", 22), text.rindex("CT"))]
    assert found == [["past"], [], ["past"]]


def test_a_frame_read_after_the_mention_is_skipped_only_when_none_of_its_alternatives_follows() -> None:
    frames = FrameCues([{"id": "cell", "category": "HISTORICAL", "after": "^[^|\\t\\n]{0,40}?(?:\\t|[ ]*\\|)[ \\t]*s/p\\b"}])
    text = "L1 fracture\ts/p kyphoplasty\nL2 fracture | s/p cement\nL3 fracture s/p kyphoplasty"
    found = []
    for line_start in (0, text.index("L2"), text.index("L3")):
        at = line_start + 3
        line_end = text.find("\n", at) % (len(text) + 1)
        found.append([hit[0] for hit in frames.read(text, (line_start, line_end), (at, at + len("fracture")), "FRACTURE")])
    assert found == [["cell"], ["cell"], []]


def test_a_frame_whose_opening_words_are_absent_is_not_read_but_one_folded_onto_them_is() -> None:
    frames = FrameCues([{"id": "modal", "category": "HYPOTHETICAL", "before": "(?:should|must)\\s+"}])
    # RE2's case folding reads the long s ("\u017f") as "s", which lower() keeps apart: words before the
    # mention that are not ASCII are read by the regex, not ruled out by the frame's words
    text = "It should compress the cord. It \u017fhould compress the cord. It could compress the cord."
    starts = [i for i in range(len(text)) if text.startswith("compress", i)]
    sentences = [(text.rfind(". ", 0, at) + 2 if ". " in text[:at] else 0, text.find(".", at) + 1) for at in starts]
    hits = [frames.read(text, sentence, (at, at + len("compress")), "CORD")
            for at, sentence in zip(starts, sentences, strict=True)]
    assert [[rule for rule, *_ in found] for found in hits] == [["modal"], ["modal"], []]


@pytest.mark.parametrize(
    ("frame", "text", "mention"),
    [
        ({"before": "resolved\\s+"}, "re\u017folved fracture", "fracture"),  # the literal before the mention
        ({"after": "\\s+has\\s+resolved"}, "the fracture ha\u017f re\u017folved", "fracture"),  # and after it
    ],
)
def test_a_frame_literal_folded_onto_by_a_long_s_is_read_as_re2_reads_it(
    frame: dict[str, str], text: str, mention: str
) -> None:
    """A frame's required literal rules a mention's neighbours out only when they are ASCII: RE2's case
    folding reads the long s ("\u017f") as "s", which lower() keeps apart."""
    frames = FrameCues([{"id": "t", "category": "NEGATED_EXISTENCE", **frame}])
    at = text.index(mention)
    assert [rule for rule, *_ in frames.read(text, (0, len(text)), (at, at + len(mention)), "FRACTURE")] == ["t"]


def test_a_frame_reads_a_field_value_the_splitter_cut_from_its_label() -> None:
    """"X-RAYS: , None." splits after the comma; the value is still the field's frame."""
    frames = FrameCues([{"id": "none", "category": "NEGATED_EXISTENCE", "after": "^\\s*:\\s*,?\\s*none\\b"}])
    text = "X-RAYS: , None. DRAINS: one."
    label = (0, len("X-RAYS: ,"))  # the sentence the splitter makes: the label and its colon only
    assert [rule for rule, *_ in frames.read(text, label, (0, len("X-RAYS")), "MODALITY")] == ["none"]


def test_a_frame_stays_in_a_sentence_that_does_not_end_with_a_colon() -> None:
    frames = FrameCues([{"id": "none", "category": "NEGATED_EXISTENCE", "after": "^[^:]*:\\s*none\\b"}])
    text = "CT head was clear. Drains: none."
    sentence = (0, len("CT head was clear."))
    assert frames.read(text, sentence, (0, len("CT")), "MODALITY") == []


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("PROCEDURE: Wrist ganglion excision.,FLUOROSCOPY: , None.,DRAINS: , None.", "FLUOROSCOPY", "absent"),
        ("Bloods sent. CT head: not done.", "CT", "absent"),
        ("Bloods sent. MRI: n/a.", "MRI", "absent"),
        ("Acute findings on CT: none.", "CT", "present"),  # the findings are denied, the CT was done
        ("We will rest her, treat the pain and check an MRI of the spine.", "MRI", "hypothetical"),
        ("The team rested her, treated the pain and checked an MRI of the spine.", "MRI", "present"),
        ("An MRI is advised. It would exclude a disc herniation.", "disc herniation", "hypothetical"),
    ],
)
def test_study_fields_plans_and_proposed_exclusions(extractor: Extractor, text: str, mention: str, expected: str) -> None:
    """Session 14: a study field answered none, a plan's later verb, and what a proposed study would exclude."""
    assert assertion_of(extractor, text, mention) == expected


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    # a bracket after the negated words is an aside of its own: the negation stops before it
    ("Vertebral bodies without marrow oedema (old L1 compression fracture, unchanged).", "fracture",
     "present"),
    ("Tumour at T7 deforming the cord without signal change in the cord (Bilsky grade 2).", "Bilsky grade 2",
     "present"),
    # a bracket right after a negated finding lists its kinds, and one right after the cue is inside the phrase
    ("No suspicious osseous lesions (lytic or blastic).", "lytic", "absent"),
    ("No (acute) fracture.", "fracture", "absent"),
])
def test_a_negation_does_not_reach_an_aside_in_brackets(
    extractor: Extractor, text: str, phrase: str, expected: str
) -> None:
    assert assertion_of(extractor, "FINDINGS: " + text, phrase) == expected


def test_a_long_text_of_bracketed_negated_findings_keeps_each_aside_present(extractor: Extractor) -> None:
    """The small version of bench/adversarial.py's bracketed negations: whether a finding stands between a cue
    and the bracket is looked up by bisection over the report's mentions (session 21), with the same answers:
    each aside after a bare negated phrase is present, each bracket after a negated finding stays negated."""
    pair = "No marrow oedema (old L1 compression fracture, unchanged). No cord compression or fracture (lytic or blastic). "
    text = "FINDINGS: " + pair * 25
    mentions = extractor.record_for_text("t", text)["mentions"]
    aside = "(old L1 compression "
    asides = [m["assertion"] for m in mentions if text[m["start"] - len(aside) : m["start"]] == aside]
    kinds = [m["assertion"] for m in mentions if m["text"] in ("lytic", "blastic")]
    assert asides == ["present"] * 25
    assert kinds == ["absent"] * 50


def test_a_blank_field_before_a_forms_closing_field_asks(extractor: Extractor) -> None:
    text = "TUMOUR BOARD OUTCOME\nPathological fracture:\nOutcome: adjuvant chemoradiation.\n"
    assert assertion_of(extractor, text, "Pathological fracture") == "hypothetical"


def test_a_problem_heading_over_its_plan_is_no_blank_field(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nA/P:\nL1 compression fracture:\nPlan: TLSO brace.\n"
    assert assertion_of(extractor, text, "fracture") == "present"
