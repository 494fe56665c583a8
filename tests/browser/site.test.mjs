// Browser tests of the example portal: navigation an auditor takes, no console errors or CSP
// violations on any page, accessibility (axe-core) on every page type, and screenshots for docs/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExample, serve, launch, watchedPage, axe, repo, CSP_META, policyOf, aimsdocServe } from "./support.mjs";

let site, server, base, browser;

before(async () => {
  site = buildExample();
  ({ server, base } = await serve(site));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

function htmlPages(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) htmlPages(path, out);
    else if (entry.name.endsWith(".html")) out.push(relative(site, path));
  }
  return out.sort();
}

test("an auditor goes dashboard -> clause -> document -> evidence file", async () => {
  const { page, problems, context } = await watchedPage(browser);
  await page.goto(base + "index.html");
  await page.click("a[href='clauses/7.2.html']");
  assert.match(await page.title(), /7\.2 Competence/);
  await page.click("section[aria-labelledby=docs-heading] a[href*='REC-004']");
  assert.match(await page.title(), /REC-004/);
  const evidence = page.locator("section[aria-labelledby=evidence-heading] a").first();
  const href = await evidence.getAttribute("href");
  // Evidence files (CSV, PDF...) download rather than display: fetch them through the page's context.
  const response = await page.request.get(new URL(href, page.url()).href);
  assert.equal(response.status(), 200);
  assert.ok((await response.body()).length > 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("no page of the example logs an error, fails a request or violates the CSP", async () => {
  const { page, problems, context } = await watchedPage(browser);
  const policies = {};
  for (const rel of htmlPages(site)) {
    await page.goto(base + rel);
    const { csp, referrer } = await policyOf(page);
    if (csp !== CSP_META || referrer !== "no-referrer") policies[rel] = { csp, referrer };
  }
  assert.deepEqual(policies, {}, "every page carries the CSP and no-referrer metas");
  assert.deepEqual(problems, []);
  await context.close();
});

test("pages from aimsdoc serve, its overlay pages included, carry the CSP and violate nothing", async () => {
  const { child, base: live } = await aimsdocServe(join(repo, "content-example"));
  try {
    const { page, problems, context } = await watchedPage(browser);
    for (const rel of ["index.html", "documents/POL-001.html", "register.html", "__aimsdoc/errors"]) {
      await page.goto(live + rel);
      assert.deepEqual(await policyOf(page), { csp: CSP_META, referrer: "no-referrer" }, rel);
    }
    // The injected reload script is an external file, which the policy allows (a blocked one
    // would be reported as a violation below).
    await page.goto(live + "index.html");
    assert.equal(await page.locator("script[src='/__aimsdoc/reload.js']").count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    child.kill();
  }
});

test("the portal works opened from disk (file://)", async () => {
  const { page, problems, context } = await watchedPage(browser);
  await page.goto(pathToFileURL(join(site, "index.html")).href);
  assert.deepEqual(await policyOf(page), { csp: CSP_META, referrer: "no-referrer" });
  await page.click("a[href='register.html']");
  const rows = await page.locator("table#register tbody tr").count();
  assert.ok(rows >= 30, `register rows: ${rows}`);
  await page.click("table#register tbody tr a[href$='POL-001.html']");
  assert.match(await page.title(), /POL-001/);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no WCAG 2.1 AA violations (${scheme})`, async () => {
    const { page, context } = await watchedPage(browser, { colorScheme: scheme });
    const pages = ["index.html", "register.html", "documents/POL-001.html", "documents/SOA-001.html", "clauses/6.1.2.html",
      "annex-a/A.6.2.4.html", "clauses/index.html", "annex-a/index.html", "soa.html", "evidence.html", "checklist.html",
      "nist-ai-rmf.html", "iso27001.html", "search.html?q=prompt+injection"];
    const found = {};
    for (const rel of pages) {
      await page.goto(base + rel);
      if (rel.startsWith("search")) await page.waitForSelector("#search-results li");
      const violations = await axe(page);
      if (violations.length) found[rel] = violations;
    }
    assert.deepEqual(found, {});
    await context.close();
  });
}

for (const mode of ["http", "file"]) {
  test(`search finds a known document (${mode})`, async () => {
    const { page, problems, context } = await watchedPage(browser);
    const start = mode === "http" ? base + "index.html" : pathToFileURL(join(site, "index.html")).href;
    await page.goto(start);
    await page.fill("#site-search-q", "prompt injection playbook");
    await page.press("#site-search-q", "Enter");
    await page.waitForSelector("#search-results li");
    const first = await page.locator("#search-results li a").first().textContent();
    assert.match(first, /PRC-008/);
    const meta = await page.locator("#search-results li .result-meta").first().textContent();
    assert.match(meta, /procedure/);
    assert.match(meta, /current/);
    // The query is in the URL, so a search can be linked.
    assert.match(page.url(), /search\.html\?q=prompt/);
    await page.goto(start.replace("index.html", "search.html?q=POL-001"));
    await page.waitForSelector("#search-results li");
    assert.match(await page.locator("#search-results li a").first().textContent(), /POL-001/);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the register sorts by a column and filters by type and overdue", async () => {
  const { page, problems, context } = await watchedPage(browser);
  await page.goto(base + "register.html");
  const ids = async () => page.locator("table#register tbody tr:not([hidden]) td:first-child").allTextContents();
  const before = await ids();
  await page.click("table#register thead th:nth-child(2) button");
  assert.equal(await page.getAttribute("table#register thead th:nth-child(2)", "aria-sort"), "ascending");
  const titles = await page.locator("table#register tbody tr td:nth-child(2)").allTextContents();
  assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" })));
  await page.selectOption("#filter-type", "policy");
  const policies = await ids();
  assert.ok(policies.length > 0 && policies.length < before.length, `${policies.length} policies`);
  assert.ok(policies.every((id) => id.startsWith("POL-")), policies.join(","));
  await page.selectOption("#filter-type", "");
  await page.check("#filter-overdue");
  assert.equal((await ids()).length, 0, "nothing is overdue in the example today");
  assert.deepEqual(problems, []);
  await context.close();
});

test("screenshots for the README", async () => {
  const docs = join(repo, "docs");
  mkdirSync(docs, { recursive: true });
  const shots = [
    ["index.html", "dashboard"], ["documents/POL-001.html", "document"], ["search.html?q=prompt+injection", "search"],
    ["register.html", "register"],
    ["documents/POL-001.html", "dark", { colorScheme: "dark" }],
    ["documents/POL-001.html", "phone", { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 }],
    ["index.html", "phone-dashboard", { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 }],
  ];
  for (const [rel, name, options] of shots) {
    const { page, context } = await watchedPage(browser, { viewport: { width: 1280, height: 900 }, ...options });
    await page.goto(base + rel);
    await page.screenshot({ path: join(docs, `screenshot-${name}.png`) });
    await context.close();
  }
});
