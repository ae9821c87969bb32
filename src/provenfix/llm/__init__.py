"""The model engine: providers, fallback chain, prompts and the loop that sends candidates to the verifier."""

ENGINE = "llm"  # the engine name fixes by a model carry; importing it loads nothing else
