"""Bytes to text: UTF-8 only, a leading BOM dropped, CRLF and lone CR made LF."""

from __future__ import annotations

from ...errors import SourceError

BOM = "\ufeff"


def decode(data: bytes, path: str) -> str:
    """Decode a text source; bytes that are not UTF-8 give an error naming their byte offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        off = exc.start
        line_start = data.rfind(b"\n", 0, off) + 1
        line = data.count(b"\n", 0, off) + 1
        # Column in characters: decode the valid part of the line before the bad byte.
        col = len(data[line_start:off].decode("utf-8", "replace")) + 1
        shown = data[line_start:data.find(b"\n", off) if b"\n" in data[off:] else len(data)]
        raise SourceError.at(
            path, line, col, f"the file is not UTF-8: byte offset {off} holds 0x{data[off]:02x}",
            found=f"byte 0x{data[off]:02x} ({exc.reason})", expected="UTF-8 text",
            text="\n" * (line - 1) + shown.decode("utf-8", "replace"),
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    # Line ends are normalised so that line numbers agree with every editor; CR alone is old Mac.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
