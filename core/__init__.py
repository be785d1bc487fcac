"""Shared building blocks every app may use; core imports no app of this project."""
