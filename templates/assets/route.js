// Which shards of the search router a query word needs. The same forms as the build's
// despatch/search/shards.py: the word's parts and the parts joined, folded. A document word is in the
// shard of each of its forms, and a query word matches only words that begin with the same three
// letters as one of its forms, so every shard whose range meets those letters is merged.
// The filter every router record carries (the build's search/router.py ROUTED): a search of documents
// leaves its pages out, a search of the router asks for them.
export const ROUTED = { despatch: "router" };
const EXCEPTIONS = new Map([["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"]]);
const EVERY = "*";

export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}

export function formsOf(word) {
  const folded = fold(word);
  if (/(?=[^\x00-\x7f])[\p{L}\p{N}]/u.test(folded)) return [EVERY];
  const parts = folded.split(/[^0-9a-z]+/).filter(Boolean);
  const found = [...parts, parts.join(""), ...parts.filter((p) => EXCEPTIONS.has(p)).map((p) => EXCEPTIONS.get(p))];
  return [...new Set(found.filter(Boolean))].sort();
}

// The shards (indexes into the router's list) a query word needs; [] for a word without letters or
// digits, which matches nothing.
export function shardsFor(word, shards) {
  const bounds = shards.map((s) => s.from);
  const out = new Set();
  for (const form of formsOf(word)) {
    const start = form.slice(0, 3);
    const end = start + "\uffff";
    bounds.forEach((low, i) => {
      if (form === EVERY || (low <= end && (i + 1 === bounds.length || bounds[i + 1] > start))) out.add(i);
    });
  }
  return [...out].sort((a, b) => a - b);
}
