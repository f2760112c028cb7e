"""Natural-language processing that the project owns: its spaCy pipeline and NLU components."""
