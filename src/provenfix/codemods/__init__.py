"""LibCST codemods, one module per vulnerability class: source in, minimally edited source out.

Each public function takes the module's source text and the Span of the node to rewrite,
and returns the new source or raises ``Unfixable`` with a one-line reason.
"""

from provenfix.codemods.base import Span, Unfixable, span_of
from provenfix.codemods.code_eval import fix_eval
from provenfix.codemods.command import fix_command, fix_command_helper
from provenfix.codemods.path_join import fix_path
from provenfix.codemods.secrets_random import fix_random
from provenfix.codemods.sql import fix_sql, fix_sql_helper
from provenfix.codemods.yaml_load import fix_yaml

__all__ = [
    "Span",
    "Unfixable",
    "fix_command",
    "fix_command_helper",
    "fix_eval",
    "fix_path",
    "fix_random",
    "fix_sql",
    "fix_sql_helper",
    "fix_yaml",
    "span_of",
]
