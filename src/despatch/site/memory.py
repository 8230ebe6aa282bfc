"""Memory handed back to the system between the build's stages."""

from __future__ import annotations

import gc


def release_memory(heavy: bool = True) -> None:
    """Collect cycles and hand freed heap back to the system, so memory follows what is alive, not the peak."""
    if not heavy:
        return
    gc.collect()
    import ctypes  # here: an edit's build, which frees little, need not load it

    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc only; elsewhere the allocator keeps its pages
    except (OSError, AttributeError, TypeError):
        pass
