"""`guard check --fix` / `--diff`: pins written from the project's own lock or environment."""
