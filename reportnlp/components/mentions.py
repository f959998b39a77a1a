"""Find target mentions with medspaCy's TargetMatcher, driven by `patterns/targets.json`.

Mentions go to the span group ``doc.spans["reportnlp_mentions"]`` (not ``doc.ents``) so
that they can overlap other components' entities. Matches of the ``ignore`` concept absorb
hard negatives ("hiatal hernia", "aortic stenosis") and are then dropped.
"""


from typing import Any

from medspacy.target_matcher import TargetMatcher, TargetRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from reportnlp.components._rules import rule_errors, rules_for

MENTIONS = "reportnlp_mentions"
IGNORE = "ignore"

if not Span.has_extension("reportnlp_rule"):
    Span.set_extension("reportnlp_rule", default=None)
if not Span.has_extension("reportnlp_meta"):
    Span.set_extension("reportnlp_meta", default=None)


def to_target_rule(rule: dict[str, Any]) -> TargetRule:
    return TargetRule(
        literal=rule.get("literal", rule["id"]),
        category=rule["concept"],
        pattern=rule.get("pattern"),
        metadata={"id": rule["id"], **rule.get("meta", {})},
    )


class MentionMatcher:
    def __init__(self, nlp: Language, targets: dict[str, Any], name: str = "reportnlp_mentions") -> None:
        self.matcher = TargetMatcher(nlp, name=name, rules=None, result_type=None)
        for rule in targets["target_rules"]:
            with rule_errors("targets.json", rule["id"]):
                self.matcher.add(to_target_rule(rule))

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for span in self.matcher(doc):
            if span.label_ == IGNORE:
                continue
            meta = span._.target_rule.metadata
            span._.reportnlp_rule = meta["id"]
            span._.reportnlp_meta = meta
            kept.append(span)
        doc.spans[MENTIONS] = kept
        return doc


@Language.factory(
    "reportnlp_mentions",
    default_config={"patterns": None},
    assigns=["doc.spans", "span._.reportnlp_rule", "span._.reportnlp_meta"],
)
def make_mentions(nlp: Language, name: str, patterns: str | None) -> MentionMatcher:
    return MentionMatcher(nlp, rules_for(patterns).targets, name=name)
