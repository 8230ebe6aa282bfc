// The search page. An edition-wide router (a small Pagefind bundle of one record per volume) names the
// volumes that hold the query's words; only those volumes' bundles are merged, the most promising first,
// the rest when the reader asks. Filters, date order and results that open the document at the paragraph
// that matched. Every text is inserted as text, never as markup.
// After incremental builds a small changes bundle (changes.js) holds the current pages of the documents
// edited since their volume was indexed.
// Past a few hundred thousand words the router is split into shards by the words' first letters; the
// first is loaded with the page, the others are merged when a query word needs them (route.js). Each of
// the router's folders lists its records' volumes beside it, read as the folder is merged. The router's
// records carry a filter of their own: a search of documents leaves them out by it, not by their ids
// (Pagefind's ids are short hashes, which a document's may share).
import { Changes, readJson } from "./changes.js";
import { ROUTED, shardsFor } from "./route.js";

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
const MANY = { volume: "volumes", year: "years", type: "document types", classification: "classifications",
               archive: "archives and collections" };
// Past this many values a filter's boxes fold under one summary, closed until asked for (or one of them
// is checked): at the scale of FRUS the volume filter alone would put 545 boxes before the results.
const FOLD = 12;
let pagefind = null;
let routed = null;    // the router's volume list, or null when it does not cover every volume (then all load)
let facets = {};
let changes = null;   // the changes bundle and its recent layer (Changes), when they are merged
let titles = {};      // volume id → its title (the volume filter's value), as the router lists them
const bundle = {};    // volume id → its bundle's path
let routerPath = null;
const shardsMerged = new Set([0]);
const records = new Map();  // router record id → its volume, for the router folders merged
let unrouted = false;       // a router folder's records could not be read: every volume may hold a word
const merged = new Set();
let candidates = [];  // the volumes that may hold the current query, best first
let results = [];
let shown = 0;
let terms = "";
let generation = 0;   // each search supersedes the ones still awaiting their results

function absolute(path) {
  return new URL(path, document.baseURI).pathname;
}

async function load() {
  // Each volume's bundle is in its folder at the site's root.
  const ids = (form.dataset.volumes || "").split(/\s+/).filter(Boolean);
  const bundles = ids.map((id) => absolute((form.dataset.site || "") + id + "/pagefind/"));
  if (!bundles.length) throw new Error("no search index in this site");
  ids.forEach((id, i) => { bundle[id] = bundles[i]; });
  const router = form.dataset.router ? absolute(form.dataset.router) : null;
  const found = router ? await readJson(router + "despatch-volumes.json") : null;
  const listed = found && Array.isArray(found.volumes) ? found : null;
  const known = new Set(listed ? listed.volumes.map((v) => v.id) : []);
  routed = listed && ids.every((id) => known.has(id)) ? listed : null;
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
  changes = listed && listed.changes
    ? await Changes.merge(pagefind, near(listed.changes), listed.recent ? near(listed.recent) : null) : null;
  titles = routed ? Object.fromEntries(routed.volumes.map((v) => [v.id, v.title])) : {};
  await pagefind.init();
  facets = routed ? withVolumes(routed) : await pagefind.filters();
  if (changes) facets = changes.facets(facets, Boolean(routed));
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
    let rows = set;
    if (values.length > FOLD) {
      rows = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = `${values.length} ${MANY[key]}`;
      rows.append(summary);
      rows.open = values.some((value) => (selected[key] || []).includes(value));
      set.append(rows);
    }
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
      rows.append(row);
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
  const named = filters.volume || [];  // the volume filter's titles (not the module's map of them)
  if (named.length && named.every((t) => byTitle[t])) return named.map((t) => byTitle[t]);
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

// A router folder's records (its record's id for each volume of the list, in the list's order): true once
// they are known.
async function readRecords(path) {
  const listed = await readJson(path + "despatch-records.json");
  if (!Array.isArray(listed) || listed.length !== routed.volumes.length) return false;
  listed.forEach((id, i) => { if (id) records.set(id, routed.volumes[i].id); });
  return true;
}

// The router's facets; the volume filter's, when the list leaves it out, are the volumes' titles and pages.
function withVolumes(listing) {
  if (listing.facets.volume) return listing.facets;
  const volume = {};
  for (const v of listing.volumes) volume[v.title] = (volume[v.title] || 0) + v.pages;
  return { ...listing.facets, volume };
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

// Documents only: the router's own records (one per volume) match too, and are left out here by their
// filter, as are the old pages of documents edited since their volume was indexed.
async function documents(options) {
  const search = await pagefind.search(terms || null, { ...options, filters: { ...options.filters, not: ROUTED } });
  if (!changes) return search.results;
  return changes.rescore(search.results.filter((r) => changes.due(r, merged, candidates)), terms, options, titles);
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
