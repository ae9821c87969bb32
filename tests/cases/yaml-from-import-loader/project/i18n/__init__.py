"""Translation catalogues contributed by translators as YAML."""
