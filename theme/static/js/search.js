// Search with Pagefind's JavaScript API and our own markup. The form is in the page from the start:
// without JavaScript the browser shows the <noscript> message and the sections instead (the CSS hides
// the form when scripting is off), so nothing is swapped in when this script runs.
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const section = document.getElementById("search-section");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const base = form.dataset.base || "";
// The page's words, in its language (data attributes written by the template from data/<lang>/ui.yaml).
const words = form.dataset;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
let pagefind = null;
// The search on screen or under way (its words and section): typing and then pressing Enter asks for it
// twice, and a second run would put "Searching…" back over the results the reader is reading.
let current = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(`${base}/pagefind/pagefind.js`);
    await pagefind.options({ baseUrl: `${base}/` });
    const filters = await pagefind.filters();
    for (const name of Object.keys(filters.section || {}).sort()) {
      section.append(new Option(name, name));
    }
  }
  return pagefind;
}

// Pagefind's excerpt is text with <mark> around matches; build nodes instead of using innerHTML.
function excerptNodes(excerpt) {
  const nodes = [];
  excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const match = part.match(/^<mark>(.*)<\/mark>$/);
    const text = (match ? match[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    if (match) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      nodes.push(mark);
    } else if (text) {
      nodes.push(document.createTextNode(text));
    }
  });
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search__result";
  const heading = document.createElement("h2");
  heading.className = "search__result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function run() {
  const query = input.value.trim();
  const key = `${query}\u0000${section.value}`;
  if (key === current) return;
  current = key;
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  window.history.replaceState(null, "", url);
  if (!query) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = words.searching;
  let pf;
  try {
    pf = await engine();
  } catch {
    pagefind = null; // try again on the next search
    current = null;
    status.textContent = words.failed;
    return;
  }
  const filters = section.value ? { section: section.value } : {};
  let search, data;
  try {
    search = await pf.search(query, { filters });
    if (!search) return; // a newer search replaced this one
    data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  } catch (error) {
    current = null; // a search that failed may be asked for again
    throw error;
  }
  results.replaceChildren(...data.map(resultItem));
  const n = search.results.length;
  const where = section.value ? fill(words.in, { section: section.value }) : "";
  status.textContent = fill(n === 1 ? words.one : words.many, { count: n, query, where });
}

let timer = null;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
section.addEventListener("change", run);
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 300);
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run();
}
