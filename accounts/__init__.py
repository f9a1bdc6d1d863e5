"""Accounts: a local account's bindings to people at the identity provider (single sign-on).

Its own small app because the binding is about who may sign in as whom: not the register's
business (registry) nor the project's plumbing (norsjo, which holds no data).
"""
