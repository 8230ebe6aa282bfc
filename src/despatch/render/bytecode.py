"""Where compiled templates are kept between processes."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk, as a help and never a need: a serving process outlives its cache
    folder when the editor removes the build folder, and a template compiled then is kept in a folder
    made again, or (should even that fail) not kept."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass  # compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass
