"""One module per command: a plain function that takes plain values and returns an exit code."""
