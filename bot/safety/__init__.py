"""Patient safety, rules and wording together: the red-flag rules over lemmas (`red_flags`) and
what the bot says when a patient's safety is at stake (`replies`, worded from data/safety/)."""
