"""Performance benchmarks and data generators (DESIGN.md §5); see bench/README.md."""
