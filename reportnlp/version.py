"""The installed version, in a module of its own so that any stage can name it without importing the
package's public API (and with it the pipeline)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reportnlp")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0.0.0+source"
