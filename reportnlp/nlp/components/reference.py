"""medspaCy's own TargetMatcher and ConText on the same rule files: the reference behind ``--matcher medspacy``.

The default (``fast``) matcher and ConText (components/matching.py, context.py) reproduce medspaCy's
results in less time; this module runs medspaCy itself, so a user can check that claim on their own
reports (``reportnlp extract --matcher medspacy``, records equal) or trust the reference over speed.
medspaCy is imported only here, and only when a pipeline is built with ``matcher="medspacy"``.
"""

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from reportnlp.nlp.components._rules import rule_errors
from reportnlp.nlp.components.msgpack_types import guard_medspacy_section

MATCHERS = ("fast", "medspacy")


class MedspacyTargets:
    """medspaCy's TargetMatcher on the target rules; called like RuleMatcher: (rule index, start, end)."""

    def __init__(self, nlp: Language, rules: list[dict[str, Any]]) -> None:
        from medspacy.target_matcher import TargetMatcher, TargetRule

        guard_medspacy_section()  # medspaCy's msgpack decoders are registered now
        self.matcher = TargetMatcher(nlp, result_type=None)
        made = [TargetRule.from_dict(r) for r in rules]  # the rule files are in TargetRule's own shape
        self.index = {id(rule): n for n, rule in enumerate(made)}
        for rule in made:  # one at a time, so a pattern spaCy rejects is named
            with rule_errors("targets.json", rule.metadata["id"]):
                self.matcher.add(rule)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        return [(self.index[id(span._.target_rule)], span.start, span.end) for span in self.matcher(doc)]


class MedspacyCue:
    """A medspaCy ConTextModifier as the assertion step reads a cue (start, end, category, direction, rule.id,
    rule.own_item)."""

    __slots__ = ("category", "direction", "end", "id", "own_item", "start")

    def __init__(self, modifier: Any) -> None:
        self.start, self.end = modifier.modifier_span
        self.category: str = modifier.category
        self.direction: str = modifier.direction
        self.id: str = modifier.rule.metadata["id"]
        self.own_item: bool = bool(modifier.rule.metadata.get("own_item"))

    @property
    def rule(self) -> "MedspacyCue":
        return self


def context_rule(rule: dict[str, Any], default_max_scope: int | None) -> Any:
    """One ConTextRule from a rule of context.json; a file's ``default_max_scope`` for rules with none.

    The keys are ConTextRule's own; ``terminated_by``, which ``from_json`` refuses, sits under ``metadata``
    and goes to the constructor here. medspaCy's global ``max_scope`` would also replace sentences by
    windows, so the default goes on each rule.
    """
    from medspacy.context import ConTextRule

    return ConTextRule(**{"max_scope": default_max_scope, **rule, "terminated_by": rule["metadata"].get("terminated_by")})


class MedspacyContext:
    """medspaCy's ConText over the mention span group; gives each mention the cues of its own sentence."""

    def __init__(self, nlp: Language, rules: list[dict[str, Any]], group: str, default_max_scope: int | None) -> None:
        from medspacy.context import ConText

        guard_medspacy_section()
        self.context = ConText(
            nlp, rules=None, span_attrs=None, input_span_type="group", span_group_name=group,
            prune_on_modifier_overlap=True,
        )
        for rule in rules:
            with rule_errors("context.json", rule["metadata"]["id"]):
                self.context.add(context_rule(rule, default_max_scope))

    def __call__(self, doc: Doc, targets: list[Span]) -> list[list[MedspacyCue]]:
        """Per target (in order): the cues that modify it, from its own sentence (as the fast ConText).

        Read from the ConText graph's edges, which name the target span with its label: ``span._.modifiers``
        is stored by character offsets, so two concepts on one span ("endplate or facet changes") would
        share one list and each get the other's cues too.
        """
        for span in targets:
            span._.modifiers = ()
        self.context(doc)
        by_target: dict[tuple[int, int, int], list[Any]] = {}
        for target, modifier in doc._.context_graph.edges:
            by_target.setdefault((target.start, target.end, target.label), []).append(modifier)
        out = []
        for span in targets:
            sent = span.sent.start
            modifiers = by_target.get((span.start, span.end, span.label), ())
            out.append([MedspacyCue(m) for m in modifiers if doc[m.modifier_span[0]].sent.start == sent])
        return out
