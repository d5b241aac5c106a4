"""Input and output: readers for articles, and (later) the store and exporters."""
