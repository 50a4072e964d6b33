// `python build.py preview` as a writer uses it: a page open in headless Chromium, the
// manuscript saved, and the page showing the edit by itself (the script never reloads it);
// a broken book.yaml shown over the page, and the next good save clearing it.
//
//   node checkers/preview_edit.mjs URL CHAPTER.md BOOK.yaml [CHROMIUM]
//
// Prints one JSON object: what the page showed at each step.
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [url, chapterFile, bookYaml, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const result = { errors: [], loads: 0 };
const timer = setTimeout(() => { console.log(JSON.stringify({ ...result, timedOut: true })); process.exit(3); }, 90000);
const text = (page) => page.evaluate(() => document.body.innerText);
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => result.errors.push(String(e)));
  page.on("load", () => { result.loads += 1; });
  await page.goto(url, { waitUntil: "networkidle" });
  result.before = (await text(page)).includes("Zanzibar");
  const loadsBefore = result.loads;
  // a saved edit shows without this script reloading the page
  const original = readFileSync(chapterFile, "utf8");
  const start = Date.now();
  writeFileSync(chapterFile, original.replace("More text.", "More text about Zanzibar."));
  await page.waitForFunction(() => document.body.innerText.includes("Zanzibar"), null, { timeout: 60000 });
  result.edit = { shown: true, ms: Date.now() - start, reloadedBy: "the page", loads: result.loads - loadsBefore };
  // a broken book.yaml: the error over the page, the server still answering
  const yaml = readFileSync(bookYaml, "utf8");
  writeFileSync(bookYaml, yaml.replace(/^slug: .*$/m, "slug: Not A Slug"));
  await page.waitForSelector(".preview-error", { timeout: 60000 });
  result.error = (await page.textContent(".preview-error")).trim();
  // fixed: the page reloads and the error is gone
  writeFileSync(bookYaml, yaml);
  await page.waitForFunction(() => !document.querySelector(".preview-error"), null, { timeout: 60000 });
  result.recovered = (await text(page)).includes("Zanzibar");
} catch (e) {
  result.errors.push(String(e.stack || e));
} finally {
  clearTimeout(timer);
  await browser.close();
}
console.log(JSON.stringify(result));
