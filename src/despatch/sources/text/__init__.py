"""The telegram text format (a copy of a history.state.gov document page) converted to TEI."""

from .convert import convert_bytes, convert_text

__all__ = ["convert_bytes", "convert_text"]
