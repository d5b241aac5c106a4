"""Pipeline stages, one module each; each registers a spaCy component."""
