"""Dependency diagrams: a view of the portfolio, drawn as Graphviz DOT/SVG or Mermaid."""
