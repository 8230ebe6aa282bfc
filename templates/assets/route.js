// Which shards of the search router a query word needs: the same keys as the build's
// despatch/search/shards.py (the first three letters of the word's parts and of the parts joined),
// so that a shard holds every document word that the query word can match.
const EXCEPTIONS = new Map([["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"]]);
const EVERY = "*";

export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}

export function keysOf(word) {
  const folded = fold(word);
  if (/(?=[^\x00-\x7f])[\p{L}\p{N}]/u.test(folded)) return [EVERY];
  const parts = folded.split(/[^0-9a-z]+/).filter(Boolean);
  const forms = [...parts, parts.join(""), ...parts.filter((p) => EXCEPTIONS.has(p)).map((p) => EXCEPTIONS.get(p))];
  return [...new Set(forms.filter(Boolean).map((form) => form.slice(0, 3)))].sort();
}

// The shards (indexes into the router's list) that hold some key of the word; [] for a word without
// letters or digits, which matches nothing.
export function shardsFor(word, shards) {
  const bounds = shards.map((s) => s.from);
  const out = new Set();
  for (const key of keysOf(word)) {
    bounds.forEach((start, i) => {
      const next = i + 1 < bounds.length ? bounds[i + 1] : null;
      if (key === EVERY) out.add(i);
      else if (key.length >= 3 ? start <= key && (next === null || key < next)
                               : start <= key + "\uffff" && (next === null || next > key)) out.add(i);
    });
  }
  return [...out].sort((a, b) => a - b);
}
