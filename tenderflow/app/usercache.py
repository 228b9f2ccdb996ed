"""The per-user cache as the CLI reaches it (the CLI imports only the application layer,
tests/foundation/test_layers.py): :mod:`tenderflow.usercache`, imported without anything
else, so that ``tenderflow --help`` stays light (:mod:`tenderflow.cli.fasthelp`)."""

from tenderflow.usercache import cache_dir, installed, write_atomically

__all__ = ["cache_dir", "installed", "write_atomically"]
