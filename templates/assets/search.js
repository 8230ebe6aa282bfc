// The search page: one Pagefind bundle per volume, merged here; filters, date order and results that
// open the document at the paragraph that matched. Every text is inserted as text, never as markup.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const filterBox = document.getElementById("search-filters");
const filterPanel = document.getElementById("search-filter-box");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");

const PAGE = 20;
const LABELS = { volume: "Volume", year: "Year", type: "Document type", classification: "Classification",
                 archive: "Archive or collection" };
let pagefind = null;
let results = [];
let shown = 0;
let terms = "";
let generation = 0;   // each search supersedes the ones still awaiting their results

function absolute(path) {
  return new URL(path, document.baseURI).pathname;
}

async function load() {
  const bundles = (form.dataset.bundles || "").split(/\s+/).filter(Boolean).map(absolute);
  if (!bundles.length) throw new Error("no search index in this site");
  pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ excerptLength: 24 });
  // Each volume's bundle resolves its own result URLs from where it is served.
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle);
  await pagefind.init();
}

function checked() {
  const filters = {};
  filterBox.querySelectorAll("input[type=checkbox]:checked").forEach((box) => {
    (filters[box.name] = filters[box.name] || []).push(box.value);
  });
  return filters;
}

async function buildFilters(selected) {
  const all = await pagefind.filters();
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

async function run(keep) {
  const mine = ++generation;
  terms = input.value.trim();
  const filters = checked();
  const hasFilter = Object.keys(filters).length > 0;
  list.replaceChildren();
  more.hidden = true;
  if (!terms && !hasFilter) {
    statusLine.textContent = "";
    if (keep) remember();
    return;
  }
  const options = { filters };
  if (sortSelect.value) {
    const [key, direction] = sortSelect.value.split(":");
    options.sort = { [key]: direction };
  }
  const search = await pagefind.search(terms || null, options);
  if (mine !== generation) return;
  results = search.results;
  shown = 0;
  const n = results.length;
  const what = terms ? ` for “${terms}”` : "";
  statusLine.textContent = n ? `${n} document${n === 1 ? "" : "s"} found${what}.` : `Nothing found${what}.`;
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
  await buildFilters(selected);
  // Filters start folded on phones (they would push the results off the screen), open elsewhere.
  filterPanel.hidden = !filterBox.children.length;
  filterPanel.open = window.matchMedia("(min-width: 48rem)").matches || Object.values(selected).some((v) => v.length);
  form.dataset.ready = "true";
  if (input.value || Object.values(selected).some((v) => v.length)) await run(false);
})();
