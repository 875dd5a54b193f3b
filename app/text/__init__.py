"""Text: the UI strings, Japanese ordering, Markdown and search-key normalization."""
