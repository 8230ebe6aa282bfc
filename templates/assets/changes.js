// The search page's changes: after incremental builds a small changes bundle holds the current pages of
// the documents edited since their volume was indexed; it is always merged, and the old pages it
// supersedes are left out. A recent layer over it (the few pages edited since it was written) is merged
// after it in the same way. The changes name the old pages by id, and a page of another volume may have
// the same id (Pagefind's ids are 28-bit hashes): a result is an old page only as the search of its
// document's own volume finds it.
import { ROUTED } from "./route.js";

export async function readJson(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

// One listing (the changes bundle's or the layer's), its bundle merged; null on failure: the volumes
// then answer alone.
async function mergeListing(pagefind, path) {
  const listing = await readJson(path + "despatch-changes.json");
  if (!listing) return null;
  try {
    if (listing.pages) await pagefind.mergeIndex(path);
  } catch (error) {
    return null;
  }
  listing.replaces = listing.replaces || {};
  listing.sort = listing.sort || {};
  listing.volume = listing.volume || {};
  listing.dropped = listing.dropped || [];
  listing.dropped_from = listing.dropped_from || {};
  listing.facets = listing.facets || { added: {}, removed: {} };
  return listing;
}

// The recent layer over the changes bundle: its pages supersede the older ones as the bundle's do.
function layered(base, recent) {
  if (!recent) return base;
  return {
    replaces: { ...base.replaces, ...recent.replaces },
    sort: { ...base.sort, ...recent.sort },
    volume: { ...base.volume, ...recent.volume },
    dropped: [...base.dropped, ...recent.dropped],
    dropped_from: mergeLists(base.dropped_from, recent.dropped_from),
    layers: [base, recent],
  };
}

function mergeLists(a, b) {
  const out = { ...a };
  for (const [key, values] of Object.entries(b)) out[key] = [...(out[key] || []), ...values];
  return out;
}

// Filter counts with what the edits brought added and what they superseded taken away.
function adjust(base, added, removed) {
  const out = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(added)])) {
    const counts = { ...(base[key] || {}) };
    for (const [value, n] of Object.entries(added[key] || {})) counts[value] = (counts[value] || 0) + n;
    for (const [value, n] of Object.entries(removed[key] || {})) counts[value] = (counts[value] || 0) - n;
    const left = Object.entries(counts).filter(([, n]) => n > 0);
    if (left.length) out[key] = Object.fromEntries(left);
  }
  return out;
}

// A result as one page: its id and where the query matched. The same page in two bundles (an edit taken
// back) has both the same; pages of two volumes that share an id not.
function pageKey(r) {
  return `${r.id} ${r.words.join(",")}`;
}

export class Changes {
  // The changes bundle at ``path`` (and the layer at ``recentPath``, if any), merged; null on failure.
  static async merge(pagefind, path, recentPath) {
    const base = await mergeListing(pagefind, path);
    if (!base) return null;
    return new Changes(pagefind, recentPath ? layered(base, await mergeListing(pagefind, recentPath)) : base);
  }

  constructor(pagefind, listing) {
    this.pagefind = pagefind;
    this.listing = listing;
    this.dropped = new Set(listing.dropped);  // ids of older pages of the documents changed since
  }

  // The filter counts ``base`` after the edits (``routed``: the router's counts, which know nothing of
  // them; Pagefind's own count the pages the changes added already).
  facets(base, routed) {
    let out = base;
    for (const layer of this.listing.layers || [this.listing]) {
      out = adjust(out, routed ? layer.facets.added : {}, layer.facets.removed);
    }
    return out;
  }

  // A changed page of a volume the router names waits until that volume's bundle is merged, as its old
  // page would: results grow volume by volume as they would without changes. A volume the router does
  // not name (the edit brought the words) has its changed pages shown at once.
  due(result, merged, candidates) {
    const volume = this.listing.volume[result.id];
    return !volume || merged.has(volume) || !candidates.includes(volume);
  }

  // The results that are old pages of changed documents: as the search of each one's own volume (by its
  // title, ``titles``) finds them; where pages of other volumes look alike to the search (the same id,
  // matched at the same places), their URLs tell.
  async superseded(found, terms, options, titles) {
    const { dropped, listing } = this;
    const candidates = found.filter((r) => dropped.has(r.id));
    const volumes = new Set(candidates.flatMap((r) => listing.dropped_from[r.id] || [""]));
    // No volume known by its title (an older listing, or no router): by id alone.
    if ([...volumes].some((v) => !titles[v])) return new Set(candidates);
    const owned = new Map();  // a result's key → how many pages with it the old pages' volumes hold
    for (const volume of volumes) {
      const own = { ...options, filters: { ...options.filters, volume: titles[volume], not: ROUTED } };
      for (const r of (await this.pagefind.search(terms || null, own)).results) {
        if (dropped.has(r.id)) owned.set(pageKey(r), (owned.get(pageKey(r)) || 0) + 1);
      }
    }
    const old = new Set();
    for (const [key, count] of owned) {
      const alike = candidates.filter((r) => pageKey(r) === key);
      for (const r of alike) {
        if (alike.length === count) {
          old.add(r);
          continue;
        }
        const folders = (await r.data()).url.split("/");  // its fragment: which volume's folder it lies in
        if ((listing.dropped_from[r.id] || []).some((v) => folders.includes(v))) old.add(r);
      }
    }
    return old;
  }

  // Pagefind scores a page against its own bundle, so a page of the small changes bundle would outrank
  // every other: it takes the score of the old page it replaces when the query matched both, or, in a
  // sorted search, its place in its volume's order (what a sorted search scores). Then the old pages go.
  async rescore(found, terms, options, titles) {
    const { listing } = this;
    const old = await this.superseded(found, terms, options, titles);
    const score = new Map(found.map((r) => [r.id, r.score]));
    old.forEach((r) => score.set(r.id, r.score));  // the old page's, where another page has its id
    const [key, direction] = options.sort ? Object.entries(options.sort)[0] : [null, null];
    const out = found.map((r) => {
      const twin = listing.replaces[r.id];
      const place = key && listing.sort[r.id] ? listing.sort[r.id][key] : undefined;
      if (twin !== undefined && score.has(twin)) return { ...r, score: score.get(twin) };
      if (place !== undefined) return { ...r, score: direction === "asc" ? -place : place };
      return r;
    });
    // A page in both bundles (an edit taken back) is the same page: shown once. Only a page the changes
    // hold is looked for twice: two other results alike to the search (filters alone) are two pages.
    const seen = new Set();
    const once = (r) => !(r.id in listing.volume) || (!seen.has(pageKey(r)) && seen.add(pageKey(r)));
    const kept = out.filter((r, i) => !old.has(found[i]) && once(r));
    return kept.sort((a, b) => b.score - a.score);
  }
}
