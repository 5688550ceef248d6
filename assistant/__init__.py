"""Answer: retrieve (hybrid, cross-lingual) → answer → verify → cite; and the ways in (CLI, web, HTTP)."""
