"""spaCy components of the reportnlp pipeline, in the order they run.

sections -> sentences -> mentions -> assertion -> locations (-> labels, in records) -> source_text. Each
is a registered factory (``nlp.add_pipe("reportnlp_sections")``) whose config holds only plain values, so
``nlp.config`` round-trips and others can reuse a component in their own pipeline.
"""

from reportnlp.nlp.components._rules import RuleComponent, rules_for, with_rules
from reportnlp.nlp.components.assertion import make_assertion
from reportnlp.nlp.components.locations import make_locations
from reportnlp.nlp.components.mentions import make_mentions
from reportnlp.nlp.components.sections import make_sections
from reportnlp.nlp.components.sentences import make_sentences
from reportnlp.nlp.components.source_text import make_source_text

__all__ = ["RuleComponent", "make_assertion", "make_locations", "make_mentions", "make_sections", "make_sentences",
           "make_source_text", "rules_for", "with_rules"]
