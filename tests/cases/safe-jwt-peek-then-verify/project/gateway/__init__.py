"""An API gateway that accepts tokens from several partner issuers."""
