"""Helpers for the browser tests: a local HTTP server for a built site and a headless Chromium."""
