"""libcst codemods and the ``jaxloop-fix`` CLI: they render the plans the shared analysis
computes and never decide on their own whether a rewrite is safe."""
