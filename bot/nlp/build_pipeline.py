"""Build the project's own small English spaCy pipeline into the build output.

No pretrained English pipeline for spaCy 3.4 can be installed here and nothing may be downloaded
at run time, so the pipeline is `spacy.blank("en")` (rule-based tokenizer) plus the lookup
lemmatizer, whose tables come from the installed `spacy-lookups-data` package. Rasa's `SpacyNLP`
loads it from `build/spacy_en` (see config.yml).

    python -m bot.nlp.build_pipeline [--output DIR]
"""

import argparse
from pathlib import Path

import spacy
from spacy.language import Language

from bot.paths import SPACY_PIPELINE_DIR

PIPELINE_NAME = "clinic_en_blank_lookup"
PIPELINE_VERSION = "1.0.0"


def build_pipeline() -> Language:
    """A blank English pipeline with the lookup lemmatizer, initialised from spacy-lookups-data."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": PIPELINE_VERSION,
            "description": "Blank English tokenizer + lookup lemmatizer (spacy-lookups-data)",
        }
    )
    return nlp


def save_pipeline(output: Path = SPACY_PIPELINE_DIR) -> Path:
    """Build and write the pipeline to `output`; returns the directory written."""
    nlp = build_pipeline()
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SPACY_PIPELINE_DIR)
    args = parser.parse_args()
    written = save_pipeline(args.output)
    print(f"spaCy pipeline written to {written}")


if __name__ == "__main__":
    main()
