// The search page. An edition-wide router (a small Pagefind bundle of one record per volume) names the
// volumes that hold the query's words; only those volumes' bundles are merged, the most promising first,
// the rest when the reader asks. Filters, date order and results that open the document at the paragraph
// that matched. Every text is inserted as text, never as markup.
// After incremental builds a small changes bundle holds the current pages of the documents edited since
// their volume was indexed; it is always merged, and the old pages it supersedes are left out. A recent
// layer over it (the few pages edited since it was written) is merged after it in the same way.
// Past a few hundred thousand words the router is split into shards by the words' first letters; the
// first is loaded with the page, the others are merged when a query word needs them (route.js). Each of
// the router's folders lists its records' volumes beside it, read as the folder is merged. The router's
// records carry a filter of their own: a search of documents leaves them out by it, not by their ids
// (Pagefind's ids are short hashes, which a document's may share).
import { shardsFor } from "./route.js";

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const filterBox = document.getElementById("search-filters");
const filterPanel = document.getElementById("search-filter-box");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const moreVolumes = document.getElementById("search-volumes");

const PAGE = 10;
const STEP = 3;       // volumes merged at a time, automatically until a page of results is found, or on request
const LABELS = { volume: "Volume", year: "Year", type: "Document type", classification: "Classification",
                 archive: "Archive or collection" };
let pagefind = null;
let routed = null;    // the router's volume list, or null when it does not cover every volume (then all load)
let facets = {};
let changes = null;       // the listing of the changes bundle and of its recent layer, when they are merged
let dropped = new Set();  // ids of older pages of documents changed since (a changes bundle has them)
const bundle = {};    // volume id → its bundle's path
let routerPath = null;
const shardsMerged = new Set([0]);
const records = new Map();  // router record id → its volume, for the router folders merged
let unrouted = false;       // a router folder's records could not be read: every volume may hold a word
const ROUTED = { despatch: "router" };  // the router records' own filter (router.py's ROUTED)
const merged = new Set();
let candidates = [];  // the volumes that may hold the current query, best first
let results = [];
let shown = 0;
let terms = "";
let generation = 0;   // each search supersedes the ones still awaiting their results

function absolute(path) {
  return new URL(path, document.baseURI).pathname;
}

async function readJson(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
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

// The changes bundle, merged whenever the router's list points at it; on failure the volumes answer alone.
async function mergeChanges(path) {
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

async function load() {
  const bundles = (form.dataset.bundles || "").split(/\s+/).filter(Boolean).map(absolute);
  const ids = (form.dataset.volumes || "").split(/\s+/).filter(Boolean);
  if (!bundles.length) throw new Error("no search index in this site");
  ids.forEach((id, i) => { bundle[id] = bundles[i]; });
  const router = form.dataset.router ? absolute(form.dataset.router) : null;
  const found = router ? await readJson(router + "despatch-volumes.json") : null;
  const listed = found && Array.isArray(found.volumes) ? found : null;
  const known = new Set(listed ? listed.volumes.map((v) => v.id) : []);
  routed = listed && ids.length === bundles.length && ids.every((id) => known.has(id)) ? listed : null;
  routerPath = router;
  // Without the first folder's records the router names no volume: every bundle is merged instead.
  if (routed && !(await readRecords(router + (routed.shards ? routed.shards[0].path : "")))) routed = null;
  const first = routed ? router + (routed.shards ? routed.shards[0].path : "") : bundles[0];
  pagefind = await import(first + "pagefind.js");
  // Searching a volume or two is quick on the page's own thread: no worker script to download.
  await pagefind.options({ excerptLength: 24, noWorker: true });
  if (!routed) {
    // No router for every volume (an older build): merge every bundle, as slow as it is complete.
    for (const path of bundles.slice(1)) await pagefind.mergeIndex(path);
    ids.forEach((id) => merged.add(id));
  }
  const near = (path) => new URL(path, new URL(router, document.baseURI)).pathname;
  changes = listed && listed.changes ? await mergeChanges(near(listed.changes)) : null;
  if (changes && listed.recent) changes = layered(changes, await mergeChanges(near(listed.recent)));
  dropped = new Set(changes ? changes.dropped : []);
  await pagefind.init();
  facets = routed ? routed.facets : await pagefind.filters();
  for (const layer of changes ? changes.layers || [changes] : []) {
    facets = adjust(facets, routed ? layer.facets.added : {}, layer.facets.removed);
  }
}

function checked() {
  const filters = {};
  filterBox.querySelectorAll("input[type=checkbox]:checked").forEach((box) => {
    (filters[box.name] = filters[box.name] || []).push(box.value);
  });
  return filters;
}

function buildFilters(selected) {
  const all = facets;
  filterBox.replaceChildren();
  Object.keys(LABELS).forEach((key, k) => {
    const values = all[key] ? Object.keys(all[key]).sort() : [];
    if (!values.length) return;
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = LABELS[key];
    set.append(legend);
    values.forEach((value, i) => {
      const id = `f-${k}-${i}`;
      const box = Object.assign(document.createElement("input"), { type: "checkbox", name: key, value, id });
      box.checked = (selected[key] || []).includes(value);
      box.addEventListener("change", () => run(true));
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = `${value} (${all[key][value]})`;
      const row = document.createElement("div");
      row.append(box, " ", label);
      set.append(row);
    });
    filterBox.append(set);
  });
}

// Pagefind's excerpt marks matches with <mark>; keep only its text and those marks.
function excerptNode(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const out = document.createElement("p");
  out.className = "search-excerpt";
  tpl.content.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  });
  return out;
}

// The paragraph (or note) holding the first match: the last anchor that starts at or before it.
function deepLink(data) {
  const first = data.locations && data.locations.length ? Math.min(...data.locations) : -1;
  let best = null;
  for (const anchor of data.anchors || []) {
    if (anchor.location <= first && (!best || anchor.location >= best.location) && anchor.id) best = anchor;
  }
  return best ? `${data.url}#${encodeURIComponent(best.id)}` : data.url;
}

async function showMore() {
  const mine = generation;
  const batch = results.slice(shown, shown + PAGE);
  shown += batch.length;
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  data.forEach((d) => {
    const li = document.createElement("li");
    const link = Object.assign(document.createElement("a"), { href: deepLink(d) });
    link.textContent = d.meta.title || d.url;
    const heading = document.createElement("h3");
    heading.append(link);
    li.append(heading);
    const facts = [d.meta.date, d.meta.volume].filter(Boolean).join(" · ");
    if (facts) {
      const meta = Object.assign(document.createElement("p"), { className: "search-meta" });
      meta.textContent = facts;
      li.append(meta);
    }
    li.append(excerptNode(d.excerpt || ""));
    list.append(li);
  });
  more.hidden = shown >= results.length;
}

function remember() {
  const params = new URLSearchParams();
  if (terms) params.set("q", terms);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  for (const [key, values] of Object.entries(checked())) values.forEach((v) => params.append(key, v));
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// The volumes that may hold the query, best first: those a volume filter names, else the router's.
async function route(filters, sort) {
  const byTitle = Object.fromEntries(routed.volumes.map((v) => [v.title, v.id]));
  const titles = filters.volume || [];
  if (titles.length && titles.every((t) => byTitle[t])) return titles.map((t) => byTitle[t]);
  const options = { filters: { ...filters, ...ROUTED } };  // the router's records, not the documents merged
  // Volumes in date order by their first (or last) year, so the dated results come in about that order.
  if (sort) options.sort = sort[1] === "asc" ? { first: "asc" } : { last: "desc" };
  // A record's words are listed once each, in no order: a quoted phrase is routed as its words.
  const words = terms.replace(/"/g, " ").trim();
  if (!routed.shards || !words) return volumesOf(await pagefind.search(words || null, options));
  // Shards hold different words, so no one record holds them all: each word is routed by itself,
  // and a volume must hold every word (as the one-record router asks), ranked by the first word.
  // Each word is matched as a prefix, as Pagefind matches the last word of a query: never fewer volumes.
  let order = null;
  let allowed = null;
  for (const word of words.split(/\s+/)) {
    const needed = shardsFor(word, routed.shards);
    if (!needed.length) continue;  // no letter or digit: Pagefind matches nothing on it either
    const next = needed.filter((i) => !shardsMerged.has(i));
    next.forEach((i) => shardsMerged.add(i));
    await Promise.all(next.map(mergeShard));
    if (unrouted) return routed.volumes.map((v) => v.id);
    const ids = volumesOf(await pagefind.search(word, options));
    // A word no volume holds is left out of the search, as Pagefind leaves out a word its index lacks.
    if (!ids.length) continue;
    order = order || ids;
    allowed = allowed ? new Set(ids.filter((id) => allowed.has(id))) : new Set(ids);
  }
  return order ? order.filter((id) => allowed.has(id)) : [];
}

// The volumes of a search's router records, best first, once each.
function volumesOf(found) {
  const seen = new Set();
  return found.results.map((r) => records.get(r.id)).filter((id) => id && !seen.has(id) && seen.add(id));
}

// A router folder's records: true once they are known.
async function readRecords(path) {
  const listed = await readJson(path + "despatch-records.json");
  if (!listed) return false;
  for (const [id, volume] of Object.entries(listed)) records.set(id, volume);
  return true;
}

async function mergeShard(i) {
  const path = routerPath + routed.shards[i].path;
  const [, read] = await Promise.all([pagefind.mergeIndex(path), readRecords(path)]);
  if (!read) unrouted = true;
}

async function mergeNext(count) {
  const next = candidates.filter((id) => !merged.has(id)).slice(0, count);
  next.forEach((id) => merged.add(id));
  await Promise.all(next.map((id) => pagefind.mergeIndex(bundle[id])));
  return next.length;
}

function mergeLists(a, b) {
  const out = { ...a };
  for (const [key, values] of Object.entries(b)) out[key] = [...(out[key] || []), ...values];
  return out;
}

// A result as one page: its id and where the query matched. The same page in two bundles (an edit taken
// back) has both the same; pages of two volumes that share an id (Pagefind's ids are 28-bit hashes) not.
function pageKey(r) {
  return `${r.id} ${r.words.join(",")}`;
}

// The results that are old pages of changed documents. The changes name them by id, and a page of
// another volume may have the same id (Pagefind's ids are 28-bit hashes): a result is one only as the
// search of its document's own volume finds it, and where pages of other volumes look alike to the
// search (the same id, matched at the same places), their URLs tell.
async function superseded(found, options) {
  const candidates = found.filter((r) => dropped.has(r.id));
  const titles = routed ? Object.fromEntries(routed.volumes.map((v) => [v.id, v.title])) : {};
  const volumes = new Set(candidates.flatMap((r) => changes.dropped_from[r.id] || [""]));
  // No volume known by its title (an older listing, or no router): by id alone.
  if ([...volumes].some((v) => !titles[v])) return new Set(candidates);
  const owned = new Map();  // a result's key → how many pages with it the old pages' volumes hold
  for (const volume of volumes) {
    const own = { ...options, filters: { ...options.filters, volume: titles[volume], not: ROUTED } };
    for (const r of (await pagefind.search(terms || null, own)).results) {
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
      if ((changes.dropped_from[r.id] || []).some((v) => folders.includes(v))) old.add(r);
    }
  }
  return old;
}

// Pagefind scores a page against its own bundle, so a page of the small changes bundle would outrank
// every other: it takes the score of the old page it replaces when the query matched both, or, in a
// sorted search, its place in its volume's order (what a sorted search scores). Then the old pages go.
async function rescore(found, options) {
  const sort = options.sort;
  const old = await superseded(found, options);
  const score = new Map(found.map((r) => [r.id, r.score]));
  old.forEach((r) => score.set(r.id, r.score));  // the old page's, where another page has its id
  const [key, direction] = sort ? Object.entries(sort)[0] : [null, null];
  const out = found.map((r) => {
    const twin = changes.replaces[r.id];
    const place = key && changes.sort[r.id] ? changes.sort[r.id][key] : undefined;
    if (twin !== undefined && score.has(twin)) return { ...r, score: score.get(twin) };
    if (place !== undefined) return { ...r, score: direction === "asc" ? -place : place };
    return r;
  });
  // A page in both bundles (an edit taken back) is the same page: shown once. Only a page the changes hold
  // is looked for twice: two other results alike to the search (filters alone) are two pages.
  const seen = new Set();
  const once = (r) => !(r.id in changes.volume) || (!seen.has(pageKey(r)) && seen.add(pageKey(r)));
  const kept = out.filter((r, i) => !old.has(found[i]) && once(r));
  return kept.sort((a, b) => b.score - a.score);
}

// A changed page of a volume the router names waits until that volume's bundle is merged, as its old
// page would: results grow volume by volume as they would without changes. A volume the router does
// not name (the edit brought the words) has its changed pages shown at once.
function due(result) {
  const volume = changes.volume[result.id];
  return !volume || merged.has(volume) || !candidates.includes(volume);
}

// Documents only: the router's own records (one per volume) match too, and are left out here by their
// filter, as are the old pages of documents edited since their volume was indexed.
async function documents(options) {
  const search = await pagefind.search(terms || null, { ...options, filters: { ...options.filters, not: ROUTED } });
  return changes ? rescore(search.results.filter(due), options) : search.results;
}

async function run(keep) {
  const mine = ++generation;
  terms = input.value.trim();
  const filters = checked();
  const hasFilter = Object.keys(filters).length > 0;
  list.replaceChildren();
  more.hidden = true;
  if (!terms && !hasFilter) {
    statusLine.textContent = "";
    moreVolumes.hidden = true;
    if (keep) remember();
    return;
  }
  const options = { filters };
  const sort = sortSelect.value ? sortSelect.value.split(":") : null;
  if (sort) options.sort = { [sort[0]]: sort[1] };
  let found = [];
  if (routed) {
    candidates = await route(filters, sort);
    found = await documents(options);
    // Merge more volumes, one at a time, until a page of results is found or STEP more were merged.
    for (let added = 0; found.length < PAGE && added < STEP && await mergeNext(1); added++) {
      if (mine !== generation) return;
      found = await documents(options);
    }
  } else {
    found = await documents(options);
  }
  if (mine !== generation) return;
  results = found;
  shown = 0;
  const n = results.length;
  const what = terms ? ` for “${terms}”` : "";
  const pending = routed ? candidates.filter((id) => !merged.has(id)).length : 0;
  const where = pending ? ` in ${candidates.length - pending} of the ${candidates.length} volumes that may hold them` : "";
  statusLine.textContent = (n ? `${n} document${n === 1 ? "" : "s"} found${what}` : `Nothing found${what}`) + `${where}.`;
  moreVolumes.hidden = !pending;
  await showMore();
  remember();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(true);
});
sortSelect.addEventListener("change", () => run(true));
more.addEventListener("click", () => {
  const next = list.children.length;
  showMore().then(() => { const item = list.children[next]; if (item) item.querySelector("a").focus(); });
});
moreVolumes.addEventListener("click", async () => {
  const mine = generation;
  await mergeNext(STEP);
  if (mine !== generation) return;
  await run(true);
  // The button keeps the focus while volumes remain; after the last, the first result takes it.
  const first = list.querySelector("a");
  if (moreVolumes.hidden && first) first.focus();
});

(async () => {
  statusLine.textContent = "Loading the search index…";
  try {
    await load();
  } catch (error) {
    statusLine.textContent = "The search index could not be loaded. Search works when the site is served over HTTP.";
    return;
  }
  statusLine.textContent = "";
  const params = new URLSearchParams(location.search);
  const selected = {};
  for (const key of Object.keys(LABELS)) selected[key] = params.getAll(key);
  input.value = params.get("q") || "";
  sortSelect.value = params.get("sort") || "";
  buildFilters(selected);
  // Filters start folded on phones (they would push the results off the screen), open elsewhere.
  filterPanel.hidden = !filterBox.children.length;
  filterPanel.open = window.matchMedia("(min-width: 48rem)").matches || Object.values(selected).some((v) => v.length);
  form.dataset.ready = "true";
  if (input.value || Object.values(selected).some((v) => v.length)) await run(false);
})();
