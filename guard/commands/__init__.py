"""pip invocations: argv analysis (`pipargs`) and, later, extraction from files."""
