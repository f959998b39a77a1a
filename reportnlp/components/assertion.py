"""Give every mention exactly one assertion (labels.md section 2) with the cues behind it.

medspaCy's ConText finds cues and their scopes from `patterns/context.json`; this component
then resolves the cues that reach a mention into one assertion by the file's precedence
(family > hypothetical > absent > historical > possible > present by default). A
DEFINITE_EXISTENCE cue ("old", "healed", "known", "stable") overrides HISTORICAL: an old
fracture seen on this exam is present. Cues from another sentence never count.
"""


from dataclasses import dataclass
from typing import Any

from medspacy.context import ConText, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from reportnlp.components._rules import rule_errors, rules_for
from reportnlp.components.mentions import MENTIONS
from reportnlp.components.tokenizer import offsets

PRESENT = "present"

if not Span.has_extension("reportnlp_assertion"):
    Span.set_extension("reportnlp_assertion", default=PRESENT)
if not Span.has_extension("reportnlp_cues"):
    Span.set_extension("reportnlp_cues", default=())


@dataclass(frozen=True, slots=True)
class Cue:
    text: str
    category: str
    assertion: str
    start: int
    end: int
    rule: str
    direction: str
    decided: bool


def to_context_rule(rule: dict[str, Any]) -> ConTextRule:
    return ConTextRule(
        literal=rule.get("literal", rule["id"]),
        category=rule["category"],
        direction=rule["direction"],
        pattern=rule.get("pattern"),
        max_scope=rule.get("max_scope"),
        allowed_types=set(rule["allowed_types"]) if "allowed_types" in rule else None,
        excluded_types=set(rule["excluded_types"]) if "excluded_types" in rule else None,
        terminated_by=set(rule["terminated_by"]) if "terminated_by" in rule else None,
        metadata={"id": rule["id"]},
    )


def _inside(cue: tuple[int, int], span: Span) -> bool:
    """A cue within the mention's own words is part of it, not a modifier of it ("disc bulge without
    stenosis" as one annotated phrase). medspaCy means to skip such cues but its overlap test misses
    a cue strictly inside the target."""
    return span.start <= cue[0] and cue[1] <= span.end


class AssertionResolver:
    def __init__(self, nlp: Language, context: dict[str, Any], name: str = "reportnlp_assertion") -> None:
        self.assertion_of: dict[str, str | None] = context["categories"]
        self.rank = {a: i for i, a in enumerate(context.get("precedence", []))}
        self.by_concept: dict[str, dict[str, str]] = context.get("by_concept", {})
        self.context = ConText(
            nlp,
            name=name,
            rules=None,
            span_attrs=None,
            input_span_type="group",
            span_group_name=MENTIONS,
            prune_on_modifier_overlap=True,
        )
        for rule in context["context_rules"]:
            with rule_errors("context.json", rule["id"]):
                self.context.add(to_context_rule(rule))

    def decide(self, found: set[str]) -> str:
        if "historical" in found and PRESENT in found:
            found = found - {"historical"}
        ranked = sorted((a for a in found if a in self.rank), key=self.rank.__getitem__)
        return ranked[0] if ranked else PRESENT

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(MENTIONS)
        if group is None or not len(group):
            return doc
        self.context(doc)
        for span in group:
            sent_start = span.sent.start
            mods = [
                m for m in span._.modifiers
                if doc[m.modifier_span[0]].sent.start == sent_start and not _inside(m.modifier_span, span)
            ]
            override = self.by_concept.get(span.label_, {})
            assertion_of = {**self.assertion_of, **override}
            found = {a for m in mods if (a := assertion_of.get(m.category))}
            assertion = self.decide(found)
            cues = []
            for m in sorted(mods, key=lambda m: m.modifier_span):
                cue_start, cue_end = offsets(doc, *m.modifier_span)
                category_assertion = assertion_of.get(m.category) or ""
                cues.append(
                    Cue(
                        text=doc[m.modifier_span[0] : m.modifier_span[1]].text,
                        category=m.category,
                        assertion=category_assertion,
                        start=cue_start,
                        end=cue_end,
                        rule=m.rule.metadata["id"],
                        direction=m.direction,
                        decided=category_assertion == assertion,
                    )
                )
            span._.reportnlp_assertion = assertion
            span._.reportnlp_cues = tuple(cues)
        return doc


@Language.factory(
    "reportnlp_assertion",
    default_config={"patterns": None},
    assigns=["span._.reportnlp_assertion", "span._.reportnlp_cues"],
    requires=["token.is_sent_start"],
)
def make_assertion(nlp: Language, name: str, patterns: str | None) -> AssertionResolver:
    return AssertionResolver(nlp, rules_for(patterns).context, name=name)
