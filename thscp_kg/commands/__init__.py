"""One module per subcommand: NAME, HELP, add_arguments(parser) and run(args) -> exit code.

Adding a command is a new module plus its name in COMMAND_MODULES.
"""
from __future__ import annotations

COMMAND_MODULES = ["check", "build", "rules", "explain", "schema", "diff", "graph", "load", "query", "trend", "new_year", "reason", "scan", "draft", "quotes", "sign", "init"]
