"""Readiness assessment: knowledge catalogues, explainable rules, 7R strategy, targets, effort."""
