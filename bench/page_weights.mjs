// Page weights and first-screen times of a built site (issue 14: every page and every asset a
// page loads <= 2 MB; the first screen in under a second; search's first load <= 500 KB).
//
//   node bench/page_weights.mjs SITE [QUERY]
//
// Prints the largest HTML pages and assets, then, per page type, the bytes the page loads before
// its first screen (the page, its stylesheets and scripts, the search manifest) and Chromium's
// first contentful paint and load event, opened from file:// (Debian's chromium through the
// browser suite's playwright-core: run `npm --prefix tests/browser ci` first).
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "../tests/browser/support.mjs";

const [site, query = "impact assessment"] = process.argv.slice(2);
if (!site) { console.error("usage: node bench/page_weights.mjs SITE [QUERY]"); process.exit(2); }

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push([relative(site, p), statSync(p).size]);
  }
  return out;
}
const mb = (n) => (n / 1048576).toFixed(2) + " MB";
const files = walk(site);
const largest = (test) => files.filter(([p]) => test(p)).sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log("largest HTML pages:");
for (const [p, n] of largest((p) => p.endsWith(".html"))) console.log(`  ${mb(n).padStart(9)}  ${p}`);
console.log("largest assets (pages load them):");
for (const [p, n] of largest((p) => p.startsWith("assets/"))) console.log(`  ${mb(n).padStart(9)}  ${p}`);
console.log("largest exports (no page loads them):");
for (const [p, n] of largest((p) => /\.(json|csv|xml|ics)$/.test(p) && !p.startsWith("assets/"))) console.log(`  ${mb(n).padStart(9)}  ${p}`);

const firstDoc = readdirSync(join(site, "documents")).filter((f) => f.endsWith(".html")).sort()[0];
const pages = ["index.html", "register.html", "evidence.html", "soa.html", "checklist.html", `documents/${firstDoc}`,
  "clauses/6.1.2.html", "annex-a/A.6.2.4.html", `search.html?q=${encodeURIComponent(query)}`];
const browser = await launch();
console.log("\npage | bytes loaded | first contentful paint | load event | search results shown");
for (const rel of pages) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let bytes = 0;
  const [file, q] = rel.split("?");
  const loaded = [];
  page.on("request", (r) => loaded.push(r.url()));
  const start = Date.now();
  await page.goto(pathToFileURL(join(site, file)).href + (q ? "?" + q : ""), { waitUntil: "load" });
  const loadMs = Date.now() - start;
  let results = "";
  if (q) {
    await page.waitForSelector("#search-results li, #search-status:not(:empty)", { timeout: 60000 });
    results = `${Date.now() - start} ms`;
  }
  // The paint entry can arrive after the load event (headless Chromium paints late): wait for it.
  const fcp = await page.evaluate(() => new Promise((resolve) => {
    const seen = performance.getEntriesByName("first-contentful-paint")[0];
    if (seen) return resolve(seen.startTime);
    new PerformanceObserver((list) => {
      const e = list.getEntriesByName("first-contentful-paint")[0];
      if (e) resolve(e.startTime);
    }).observe({ type: "paint", buffered: true });
    setTimeout(() => resolve(-1), 10000);
  }));
  for (const u of loaded) {
    if (!u.startsWith("file://")) continue;
    try { bytes += statSync(new URL(u.split("?")[0])).size; } catch { /* not a file */ }
  }
  console.log(`${rel} | ${mb(bytes)} (${loaded.length} files) | ${Math.round(fcp)} ms | ${loadMs} ms | ${results}`);
  await context.close();
}
await browser.close();
