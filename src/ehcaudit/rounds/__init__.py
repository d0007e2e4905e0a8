"""Audit rounds: a fair sample, shared among reviewers, followed to feedback and actions."""
