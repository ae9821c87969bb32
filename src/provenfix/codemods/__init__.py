"""LibCST codemods, one module per vulnerability class: source in, minimally edited source out.

Each public function takes the module's source text and the Span of the node to rewrite,
and returns the new source or raises ``Unfixable`` (``codemods.base``) with a one-line reason:
``command.fix_command``/``fix_command_helper``, ``sql.fix_sql``/``fix_sql_helper``,
``yaml_load.fix_yaml``, ``code_eval.fix_eval``, ``path_join.fix_path``, ``secrets_random.fix_random``.

Nothing is imported here: LibCST takes most of the CLI's start-up time, and a scan never rewrites.
"""
