"""Reading and writing files: line-aware YAML, atomic writes, validation messages."""
