// Search with Pagefind: its index is built with the site; results are links, one per page,
// with up to three passages found, each linked to its section. Usable by keyboard alone: type, Enter, Tab through the results.
const base = new URL("..", import.meta.url);
const pagefind = await import(new URL("pagefind/pagefind.js", base).href);
await pagefind.options({ baseUrl: base.pathname });
pagefind.init();

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const summary = document.getElementById("search-summary");
const form = document.querySelector(".search-page-form");

const WORDS = JSON.parse(document.body.dataset.words || "{}");     // the book's word list: web.script
const fill = (key, values) => (WORDS[key] || key).replace(/\{(\w+)\}/g, (_, name) => values[name]);
const SECTIONS = 3;          // passages shown per page found, each linked to its section

function excerptOf(found) {
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.innerHTML = found.excerpt;                    // Pagefind's excerpt: text with <mark>
  return excerpt;
}

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
    link.href = r.url;
    link.textContent = r.meta.title;
    li.append(link);
    // the passages found, by section (Pagefind's sub-results: one per heading with an id)
    const subs = (r.sub_results || []).filter((s) => s.url !== r.url).slice(0, SECTIONS);
    if (subs.length > 1) {
      const passages = document.createElement("ul");
      passages.className = "passages";
      passages.append(...subs.map((s) => {
        const item = document.createElement("li");
        const to = document.createElement("a");
        to.href = s.url;
        to.textContent = s.title === r.meta.title ? fill("at_the_start", {}) : s.title;
        item.append(to, excerptOf(s));
        return item;
      }));
      li.append(passages);
    } else {
      li.append(excerptOf(subs[0] || r));
    }
    return li;
  }));
  const count = found.results.length;
  summary.textContent = fill(count === 0 ? "found_none" : count === 1 ? "found_one" : "found_many",
                             { count, query: text });
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  run(input.value);
});
input.addEventListener("input", () => run(input.value));
const q = new URLSearchParams(location.search).get("q");
if (q) { input.value = q; run(q); } else { input.focus(); }
