"""The web layer: middleware, the template environment and the routes (thin, over app/)."""
