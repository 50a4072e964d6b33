// Search with Pagefind: its index is built with the site; results are links, one per page,
// with the passage found. Usable by keyboard alone: type, Enter, Tab through the results.
const base = new URL("..", import.meta.url);
const pagefind = await import(new URL("pagefind/pagefind.js", base).href);
await pagefind.options({ baseUrl: base.pathname });
pagefind.init();

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const summary = document.getElementById("search-summary");
const form = document.querySelector(".search-page-form");

let latest = 0;
async function run(query) {
  const mine = ++latest;
  const text = query.trim();
  if (!text) { list.replaceChildren(); summary.textContent = ""; return; }
  const found = await pagefind.debouncedSearch(text, {}, 150);
  if (found === null || mine !== latest) return;          // a newer query took over
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  if (mine !== latest) return;
  list.replaceChildren(...results.map((r) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    const sub = (r.sub_results || []).find((s) => s.url !== r.url);
    link.href = r.url;
    link.textContent = r.meta.title;
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = (sub || r).excerpt;               // Pagefind's excerpt: text with <mark>
    li.append(link, excerpt);
    return li;
  }));
  summary.textContent = results.length
    ? `${found.results.length} page${found.results.length === 1 ? "" : "s"} found for “${text}”.`
    : `Nothing found for “${text}”.`;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  run(input.value);
});
input.addEventListener("input", () => run(input.value));
const q = new URLSearchParams(location.search).get("q");
if (q) { input.value = q; run(q); } else { input.focus(); }
