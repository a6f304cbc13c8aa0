"""Facts about interpreters (gathered once) and their classification (pure).

Modules: `facts` gathers (in-process or with one subprocess), `resolve` turns a name, venv,
script or shim into an interpreter, `target` picks the one `guard env` judges, `classify`
names the kind and verdict, `crosscheck` turns both into findings, `describe` prints them.
Nothing is imported here so that `import guard.environment.facts` stays cheap.
"""
