"""Terminal greeter."""
