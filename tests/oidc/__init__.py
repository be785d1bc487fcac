"""A real OpenID Connect provider for the single sign-on tests: django-oidc-provider in a tiny
Django project of its own, run as a separate process on loopback (docs/operations.md, "Single
sign-on (OpenID Connect)"). Nothing here is imported by the app."""
