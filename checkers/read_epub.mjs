// Open an EPUB in a real reading system, as a reader would: epub.js in headless Chromium,
// driven by playwright-core. The EPUB and the reader are served from 127.0.0.1 only.
//
//   node checkers/read_epub.mjs BOOK.epub OUT_DIR [CHROMIUM]
//
// Prints one JSON object: the ToC epub.js lists, how a chapter paginates, where a footnote
// reference and a glossary link lead, and the screenshots taken (OUT_DIR/*.png): a chapter
// page, a note, the index, and a chapter page at phone width.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const [epubPath, outDir, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
if (!epubPath || !outDir) {
  console.error("usage: node read_epub.mjs BOOK.epub OUT_DIR [CHROMIUM]");
  process.exit(2);
}

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script>
<style>html,body{margin:0;background:#fff} #viewer{width:100vw;height:100vh}</style>
</head><body><div id="viewer"></div></body></html>`;
const files = {
  "/": ["text/html", Buffer.from(PAGE)],
  "/jszip.min.js": ["text/javascript", readFileSync(join(here, "node_modules/jszip/dist/jszip.min.js"))],
  "/epub.min.js": ["text/javascript", readFileSync(join(here, "node_modules/epubjs/dist/epub.min.js"))],
  "/book.epub": ["application/epub+zip", readFileSync(epubPath)],
};
const server = createServer((req, res) => {
  const file = files[new URL(req.url, "http://127.0.0.1").pathname];
  if (!file) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": file[0] });
  res.end(file[1]);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const result = { errors: [] };
const timer = setTimeout(() => { console.error("read_epub: timed out"); process.exit(3); }, 120000);
try {
  const page = await browser.newPage({ viewport: { width: 480, height: 720 } });
  page.on("pageerror", (e) => result.errors.push(String(e)));
  await page.goto(origin + "/");
  // open the book, list its ToC, show the first chapter
  result.toc = await page.evaluate(async () => {
    window.book = ePub("/book.epub");
    window.rendition = book.renderTo("viewer", { width: "100%", height: "100%", flow: "paginated", spread: "none" });
    const nav = await book.loaded.navigation;
    await book.ready;
    const flat = (items) => items.flatMap((i) => [{ label: i.label.trim(), href: i.href }, ...flat(i.subitems || [])]);
    return flat(nav.toc);
  });
  const chapterHref = process.env.READ_CHAPTER || result.toc.find((t) => /introduction/i.test(t.href)).href.split("#")[0];

  const show = (target) => page.evaluate(async (t) => {
    await rendition.display(t);
    await new Promise((ok) => setTimeout(ok, 300));
  }, target);
  const where = () => page.evaluate(() => {
    const loc = rendition.currentLocation();
    return { href: loc.start.href, page: loc.start.displayed.page, pages: loc.start.displayed.total };
  });
  // is the element with this id on the page shown now?
  const visible = (id) => page.evaluate((id) => {
    const contents = rendition.getContents().find((c) => c.document.getElementById(id));
    if (!contents) return false;
    let el = contents.document.getElementById(id);
    // an empty marker between blocks has no box of its own: the block after it stands for it
    while (el.getBoundingClientRect().height === 0 && el.nextElementSibling) el = el.nextElementSibling;
    const box = el.getBoundingClientRect();
    const container = rendition.manager.container;
    const frame = contents.document.defaultView.frameElement.getBoundingClientRect();
    const left = frame.left + box.left, viewport = container.getBoundingClientRect();
    return left >= viewport.left - 1 && left < viewport.right && (box.width > 0 || box.height > 0);
  }, id);

  await show(chapterHref);
  result.chapter = await where();
  await page.screenshot({ path: join(outDir, "chapter.png") });
  // page on within the chapter
  await page.evaluate(async () => { await rendition.next(); await new Promise((ok) => setTimeout(ok, 300)); });
  result.chapterNext = await where();
  await show(chapterHref);

  // a footnote reference, clicked as a reader would, and where it leads
  const frame = page.frameLocator("iframe");
  const noteref = frame.locator('a[role="doc-noteref"]').first();
  const noteHref = await noteref.getAttribute("href");
  result.noteref = { href: noteHref, text: await noteref.textContent(),
    style: await noteref.evaluate((a) => { const s = getComputedStyle(a); return { verticalAlign: s.verticalAlign, fontSize: s.fontSize, textDecoration: s.textDecorationLine, parentFontSize: getComputedStyle(a.parentElement).fontSize }; }) };
  await noteref.click();
  await page.waitForTimeout(600);
  result.afterNote = { ...(await where()), noteVisible: await visible(noteHref.split("#")[1]) };
  await page.screenshot({ path: join(outDir, "note.png") });

  // a glossary link in the chapter
  await show(chapterHref);
  const glossref = frame.locator('a[role="doc-glossref"]').first();
  const glossHref = await glossref.getAttribute("href");
  result.glossref = { href: glossHref, text: await glossref.textContent() };
  await glossref.click();
  await page.waitForTimeout(600);
  result.afterGlossary = { ...(await where()), entryVisible: await visible(glossHref.split("#")[1]) };
  await page.screenshot({ path: join(outDir, "glossary.png") });

  // the index, and a chart
  const index = result.toc.find((t) => /index/i.test(t.href));
  if (index) {
    await show(index.href);
    result.index = await where();
    await page.screenshot({ path: join(outDir, "index.png") });
  }
  const figures = await page.evaluate(async () => {
    const spine = [];
    book.spine.each((s) => spine.push(s.href));
    for (const href of spine) {
      const section = book.spine.get(href);
      const doc = await section.load(book.load.bind(book));
      const fig = doc.querySelector("figure.chart");
      if (fig) return { href, id: fig.id };
    }
    return null;
  });
  if (figures) {
    await show(`${figures.href}#${figures.id}`);
    // the chart's data table: closed under the chart, opened with a tap on its summary
    const data = frame.locator(`[id="${figures.id}-data"]`);
    const tableHeight = () => data.locator("table").evaluate((t) => t.checkVisibility() ? t.getBoundingClientRect().height : 0);
    result.figure = { ...(await where()), ...figures, summary: (await data.locator("summary").textContent()).trim(),
                      closedTableHeight: await tableHeight() };
    await page.screenshot({ path: join(outDir, "figure.png") });
    await data.locator("summary").click();
    await page.waitForTimeout(300);
    result.figure.openTableHeight = await tableHeight();
    await page.screenshot({ path: join(outDir, "figure-data.png") });
  }
  // the page list, as epub.js reads it
  // the page list, as epub.js reads it, and a page of the print edition reached through it
  result.pageList = await page.evaluate(async () => {
    await book.loaded.navigation;
    const items = book.pageList.pageList;
    return { count: items.length, first: items[0], last: items[items.length - 1],
             sample: items[Math.floor(items.length / 2)] };
  });
  // go to three pages of the print edition: the middle entry, the next one, the last
  result.printPages = [];
  const items = await page.evaluate(() => book.pageList.pageList);
  const mid = Math.floor(items.length / 2);
  for (const target of [items[mid], items[mid + 1], items[items.length - 1]]) {
    if (!target) continue;
    await show(target.href);
    result.printPages.push({ label: target.page, target: target.href, ...(await where()),
                             markerVisible: await visible(target.href.split("#")[1]) });
  }
  await page.screenshot({ path: join(outDir, "print-page.png") });
  // a phone-sized screen
  await page.setViewportSize({ width: 360, height: 640 });
  await page.waitForTimeout(500);
  await show(chapterHref);
  result.phone = await where();
  await page.screenshot({ path: join(outDir, "phone.png") });
} catch (error) {
  result.errors.push(String(error && error.stack || error));
} finally {
  clearTimeout(timer);
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result, null, 1));
