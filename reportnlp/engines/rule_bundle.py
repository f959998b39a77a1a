"""The rule set travels with the job: rule files packed by the client, checked and used by workers.

A worker never reads rules from its own disk: it unpacks the client's files into a private folder
and refuses them unless their SHA-256 (the one records carry as ``pipeline.patterns_sha256``)
matches, and refuses to run a different reportnlp version (records carry it too). So a cluster run
cannot silently use other rules or other code than the command that started it. Compressed, the
built-in rules are about 20 kB, small enough to travel with every task.
"""

from __future__ import annotations

import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from reportnlp.nlp.rules import RULE_FILES, load_rules
from reportnlp.version import __version__

if TYPE_CHECKING:
    from reportnlp.run.extractor import Extractor


class BundleError(Exception):
    """A worker cannot use the shipped rules; one line, no report text."""


@dataclass(frozen=True)
class RuleBundle:
    sha256: str
    version: str
    packed: bytes  # zlib-compressed JSON {file name: text}

    def __repr__(self) -> str:
        return f"RuleBundle({self.sha256[:12]}, reportnlp {self.version})"

    @classmethod
    def from_folder(cls, patterns: str | Path | None = None) -> RuleBundle:
        """Pack a rule folder (the built-in one when None); raises RuleError if it is broken."""
        rules = load_rules(patterns)
        folder = Path(rules.directory)
        files = {name: (folder / name).read_bytes().decode("utf-8") for name in RULE_FILES}
        bundle = cls(rules.sha256, __version__, zlib.compress(orjson.dumps(files), 6))
        with tempfile.TemporaryDirectory(prefix="reportnlp-rules-") as check:
            bundle.unpack(Path(check))  # a rule file edited while it was being read
        return bundle

    def unpack(self, folder: Path) -> Path:
        """Write the rule files into ``folder`` and check them against the hash; returns ``folder``."""
        if self.version != __version__:
            raise BundleError(f"this worker has reportnlp {__version__}, the client {self.version}; "
                              "install the same version everywhere")
        files = orjson.loads(zlib.decompress(self.packed))
        if sorted(files) != sorted(RULE_FILES):
            raise BundleError("the shipped rules lack rule files")
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        got = load_rules(folder).sha256
        if got != self.sha256:
            raise BundleError(f"the shipped rules hash to {got[:12]}, not {self.sha256[:12]}; refused")
        return folder


_lock = threading.Lock()
_folders: dict[str, tempfile.TemporaryDirectory[str]] = {}


def worker_extractor(bundle: RuleBundle) -> Extractor:
    """The pipeline for these rules in this process, built on first use and then reused."""
    from reportnlp.run.extractor_cache import extractor_for

    with _lock:
        if bundle.sha256 not in _folders:
            folder = tempfile.TemporaryDirectory(prefix="reportnlp-rules-")
            bundle.unpack(Path(folder.name))
            _folders[bundle.sha256] = folder
        patterns = _folders[bundle.sha256].name
    extractor = extractor_for(patterns)
    if extractor.rules.sha256 != bundle.sha256:  # the folder is ours alone; still, never guess
        raise BundleError("the pipeline was built from other rules than the shipped ones; refused")
    return extractor
