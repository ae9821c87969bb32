"""The model engine: providers, fallback chain, prompts and the loop that sends candidates to the verifier."""
