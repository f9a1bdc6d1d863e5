"""Accounts: single sign-on, and a local account's bindings to people at the identity provider.

Its own small app because the binding is about who may sign in as whom: not the register's
business (registry) nor the project's plumbing (norsjo, which holds no data). ``oidc.py`` is
the OpenID Connect backend and views; ``services.py`` the one matching rule and every write of
a binding.
"""
