"""The telegram text format (a copy of a history.state.gov document page) converted to TEI.

Stages, each in its own module: ``decode`` (UTF-8, BOM, CRLF) → ``frontmatter`` (YAML keys) →
the ``<n>. <title>`` line → ``notes`` (the list '  1. …' at the end, or '- …↩' in compact
copies) → ``markers`` ('[Page N]', '[… not declassified]') → ``refs`` (note references found by
the sequence the notes list implies) → ``blocks`` (an ordered table of rules over groups of
lines: dateline, closer, list, quote, paragraph; ``lists`` builds nesting) → ``tei`` and
``inline`` (elements) → the date (``despatch.apparatus.dates``).

Decisions where the format is silent:

* Notes are numbered from 0 when the title ends with a glued '0' (the source note, FRUS
  ``note[@type='source'][@n='0']`` in the head) and from 1 otherwise; a document without a
  source note is an editorial note (``subtype="editorial-note"``, as FRUS volumes encode them).
* Bare consecutive lines are list items (their printed numbers were lost in copying); an item
  ending with ':' introduces the items after it, which form its nested list. Label lines give
  ``label``/``item`` pairs as siblings, FRUS's encoding; a change of label style nests.
* A last block that runs into the notes list with no blank line is the signature
  (``closer/signed``), the copy format's own mark; with no notes, a name-like last line is one.
* A first paragraph that is only place and date is the ``dateline``; an all-capitals line
  before a list (SUBJECT, PARTICIPANTS) is its ``head`` and names its type; a quoted paragraph
  after one ending with ':' is a ``quote``; '[… not declassified]' is a ``gap`` whose ``desc``
  keeps the printed words.
* In running text ' [Page N] ' becomes ``word <pb/>word`` (TEI's spacing); the second space
  belongs to the marker.
"""

from .convert import convert_bytes, convert_text

__all__ = ["convert_bytes", "convert_text"]
