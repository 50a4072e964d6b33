// The web edition in a real browser: headless Chromium driven by playwright-core, the site
// served from 127.0.0.1 only, axe-core injected into the pages.
//
//   node checkers/check_web.mjs SITE_DIR OUT_DIR [CHROMIUM]
//
// Prints one JSON object: every request that failed or left the site, console errors, where
// the contents and previous/next lead, what search finds (a name, a Cyrillic word), a footnote
// opened and closed by keyboard at phone width, axe-core's serious and critical WCAG 2.1 A/AA
// violations on the opening page, a chapter and the index, sideways scrolling at 390 px, and
// the screenshots taken (OUT_DIR/*.png) at 390 and 1280 px, light and dark.
// Env: WEB_CHAPTER (a chapter page), WEB_INDEX (the index page), WEB_NAME, WEB_CYRILLIC, WEB_ROMANISED
// (search words: a name, the name in Cyrillic, the name in a romanisation the text does not use).
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const [siteDir, outDir, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
if (!siteDir || !outDir) {
  console.error("usage: node check_web.mjs SITE_DIR OUT_DIR [CHROMIUM]");
  process.exit(2);
}
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".mjs": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
  ".json": "application/json", ".xml": "application/xml", ".pdf": "application/pdf",
  ".epub": "application/epub+zip", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream" };
const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(siteDir, path));
  if (!file.startsWith(normalize(siteDir)) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const chapter = process.env.WEB_CHAPTER || "moscow-trials.html";
const indexPage = process.env.WEB_INDEX || "book-index.html";
const nameWord = process.env.WEB_NAME || "Yezhov";
const cyrillicWord = process.env.WEB_CYRILLIC || "Ежов";
const romanisedWord = process.env.WEB_ROMANISED || "Ežov";

const browser = await chromium.launch({
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const result = { errors: [], failed: [], outside: [], console: [] };
const timer = setTimeout(() => { console.error("check_web: timed out"); process.exit(3); }, 200000);
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");

async function newPage(width, scheme = "light") {
  const context = await browser.newContext({ viewport: { width, height: 860 }, colorScheme: scheme,
                                             reducedMotion: "reduce" });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
    result.outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => result.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") result.console.push(m.text()); });
  // a request cancelled by leaving the page (ERR_ABORTED) did not fail
  page.on("requestfailed", (r) => { if (r.failure()?.errorText !== "net::ERR_ABORTED") result.failed.push(`${r.url()} ${r.failure()?.errorText}`); });
  page.on("response", (r) => { if (r.status() >= 400) result.failed.push(`${r.url()} ${r.status()}`); });
  return page;
}
const open = async (page, path) => {
  await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => true));
};
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                                        resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return { serious: found.filter((v) => ["serious", "critical"].includes(v.impact)), other: found.filter((v) => !["serious", "critical"].includes(v.impact)) };
}

try {
  // desktop: the opening page, contents, previous/next, a chapter, the index
  const desk = await newPage(1280);
  await open(desk, "");
  result.opening = { title: await desk.title(), description: await desk.getAttribute('meta[name="description"]', "content"),
                     footer: await desk.textContent("footer"), contents: await desk.$$eval(".contents-list a", (as) => as.map((a) => a.getAttribute("href"))),
                     downloads: await desk.$$eval("footer .downloads a", (as) => as.map((a) => a.getAttribute("href"))) };
  result.axe = { opening: await axe(desk) };
  await desk.screenshot({ path: join(outDir, "opening-1280.png") });
  await desk.click(".start-reading");
  await desk.waitForLoadState("load");
  result.firstPage = desk.url().replace(origin + "/", "");
  await desk.click(".pager-next");
  await desk.waitForLoadState("load");
  result.afterNext = desk.url().replace(origin + "/", "");
  await desk.click(".pager-prev");
  await desk.waitForLoadState("load");
  result.afterPrev = desk.url().replace(origin + "/", "");
  await open(desk, chapter);
  result.chapter = { title: await desk.title(), h1: await desk.textContent("h1"),
    headings: await desk.$$eval("h1, h2, h3, h4", (hs) => hs.filter((h) => h.checkVisibility()).map((h) => Number(h.tagName[1]))),
    current: await desk.getAttribute('#site-nav [aria-current="page"]', "href"),
    sections: await desk.$$eval("#site-nav .toc-sections a", (as) => as.length),
    paraLinks: await desk.$$eval("button.para-link", (bs) => bs.length),
    pageMarkers: await desk.$$eval(".pagebreak", (ps) => ps.map((p) => p.textContent.trim())),
    sidenotes: await desk.evaluate(() => document.body.classList.contains("sidenotes")),
    skipLink: await desk.getAttribute(".skip-link", "href") };
  result.axe.chapter = await axe(desk);
  await desk.screenshot({ path: join(outDir, "chapter-1280.png") });
  // a glossary term's definition on focus
  const term = desk.locator("a.glossterm[aria-describedby]").first();
  if (await term.count()) {
    await term.focus();
    await desk.waitForTimeout(100);
    result.glossTip = await desk.evaluate(() => { const t = document.querySelector(".gloss-tip"); return t && !t.hidden ? t.textContent : null; });
    await term.scrollIntoViewIfNeeded();
    await desk.screenshot({ path: join(outDir, "glossary-tip-1280.png") });
    await desk.keyboard.press("Escape");
  }
  // a side note beside its call
  const firstRef = desk.locator("a.noteref").first();
  if (await firstRef.count()) {
    await firstRef.scrollIntoViewIfNeeded();
    const refBox = await firstRef.boundingBox();
    const noteId = (await firstRef.getAttribute("href")).split("#")[1];
    const noteBox = await desk.locator(`[id="${noteId}"]`).boundingBox();
    result.sidenote = { refTop: refBox.y, noteTop: noteBox.y, noteLeft: noteBox.x, textRight: (await desk.locator("article > p:not([hidden])").first().boundingBox()).x + 100 };
    await desk.screenshot({ path: join(outDir, "sidenotes-1280.png") });
  }
  // the ¶ link: copies a link and a citation
  await desk.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const para = desk.locator("article p[data-para]").nth(1);
  await para.hover();
  await para.locator("button.para-link").click();
  await desk.waitForTimeout(200);
  result.paraLink = { status: await desk.textContent(".status"), clipboard: await desk.evaluate(() => navigator.clipboard.readText()),
                      id: await para.getAttribute("id") };
  await open(desk, indexPage);
  result.index = { links: await desk.$$eval("article a", (as) => as.length) };
  result.axe.index = await axe(desk);

  // search by keyboard: a name, then a Cyrillic word
  result.search = {};
  for (const word of [nameWord, cyrillicWord, romanisedWord]) {
    await open(desk, "index.html");
    await desk.focus("#site-search");
    await desk.keyboard.type(word);
    await desk.keyboard.press("Enter");
    await desk.waitForURL(/search\.html/);
    await desk.waitForSelector("#search-results li a", { timeout: 15000 }).catch(() => null);
    result.search[word] = await desk.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
    if (word === cyrillicWord) await desk.screenshot({ path: join(outDir, "search-1280.png") });
  }
  // keyboard alone: Tab from the search box reaches the first result
  await desk.focus("#search-input");
  await desk.keyboard.press("Tab");
  await desk.keyboard.press("Tab");
  result.search.tabbedTo = await desk.evaluate(() => document.activeElement.closest("#search-results") ? document.activeElement.getAttribute("href") : document.activeElement.outerHTML.slice(0, 80));
  result.axe.search = await axe(desk);

  // dark, at desktop width
  const dark = await newPage(1280, "dark");
  await open(dark, chapter);
  await dark.screenshot({ path: join(outDir, "chapter-1280-dark.png") });
  result.axe.chapterDark = await axe(dark);

  // a phone: no sideways scroll, the menu, a footnote by keyboard
  const phone = await newPage(390);
  result.sideways = {};
  for (const path of ["index.html", chapter, indexPage, "glossary.html", "search.html"]) {
    await open(phone, path);
    result.sideways[path] = await sideways(phone);
  }
  await open(phone, chapter);
  await phone.screenshot({ path: join(outDir, "chapter-390.png") });
  await phone.click(".menu-button");
  result.menu = { expanded: await phone.getAttribute(".menu-button", "aria-expanded"), visible: await phone.isVisible("#site-nav") };
  await phone.screenshot({ path: join(outDir, "menu-390.png") });
  await phone.keyboard.press("Escape");
  result.menu.closed = !(await phone.isVisible("#site-nav"));
  const ref = phone.locator("a.noteref").first();
  await ref.focus();
  await phone.keyboard.press("Enter");
  await phone.waitForTimeout(150);
  result.footnote = { open: await phone.isVisible(".note-popup"),
                      focusInPopup: await phone.evaluate(() => !!document.activeElement.closest(".note-popup")),
                      text: (await phone.textContent(".note-popup")).trim().slice(0, 120) };
  await phone.screenshot({ path: join(outDir, "footnote-390.png") });
  await phone.keyboard.press("Escape");
  await phone.waitForTimeout(100);
  result.footnote.closed = !(await phone.isVisible(".note-popup"));
  result.footnote.focusBack = await phone.evaluate(() => document.activeElement.classList.contains("noteref"));
  const phoneDark = await newPage(390, "dark");
  await open(phoneDark, "index.html");
  await phoneDark.screenshot({ path: join(outDir, "opening-390-dark.png") });
  await open(phoneDark, chapter);
  await phoneDark.screenshot({ path: join(outDir, "chapter-390-dark.png") });
  result.sideways["dark:" + chapter] = await sideways(phoneDark);
} catch (e) {
  result.errors.push(String(e.stack || e));
} finally {
  clearTimeout(timer);
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result, null, 1));
