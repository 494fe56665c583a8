// Tables and search that work for people (issue 16) and stay light (issue 14): the register,
// evidence index, SoA and checklist on a phone (cards, nothing cut off, ids and dates whole) and
// on a desktop; the register's default view, "show all", blanks sorted last and empty results;
// the evidence index's filters; short hashes that open to the full value; search by clause and
// control number, highlighted passages, misspellings, the query kept in the header box; and a
// register split into parts (a small part size through AIMSDOC_PART_ROWS) sorted and filtered
// across every part, from file:// and over HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExample, serve, launch, watchedPage, axe, repo, aimsdocBin, scratch } from "./support.mjs";

const PHONE = { viewport: { width: 390, height: 844 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
let site, split, servers = [], browser;
const bases = {};

/** The example built with parts of 5 rows, so the register and evidence index are split. */
function buildSplit() {
  const out = join(scratch("aimsdoc-split-"), "site");
  execFileSync(aimsdocBin(), ["build", join(repo, "content-example"), "--out", out], {
    env: { ...process.env, AIMSDOC_TODAY: "2026-11-27", AIMSDOC_PART_ROWS: "5" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

before(async () => {
  site = buildExample();
  split = buildSplit();
  for (const [name, root] of [["site", site], ["split", split]]) {
    const { server, base } = await serve(root);
    servers.push(server);
    bases[name] = base;
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

function url(scheme, which, rel) {
  if (scheme === "http") return bases[which] + rel;
  const [, file, rest] = rel.match(/^([^?#]*)(.*)$/);
  return pathToFileURL(join(which === "site" ? site : split, file)).href + rest;
}

const register = (root) => JSON.parse(readFileSync(join(root, "register.json"), "utf8"));
const shownIds = (page) => page.locator("table#register tbody tr:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.id));

for (const scheme of ["http", "file"]) {
  for (const [device, options] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    test(`tables fit the screen, ids and dates stay whole (${device}, ${scheme})`, async () => {
      const { page, problems, context } = await watchedPage(browser, options);
      for (const [rel, table] of [["register.html", "register"], ["evidence.html", "evidence"], ["soa.html", "soa"], ["checklist.html", "checklist"]]) {
        await page.goto(url(scheme, "site", rel));
        const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(width <= 0, `${rel}: ${width}px cut off at the right edge`);
        const display = await page.locator(`table#${table} tbody tr:not(.group)`).first().evaluate((tr) => getComputedStyle(tr).display);
        assert.equal(display, device === "phone" ? "block" : "table-row", `${rel}: rows are cards on a phone only`);
        // An id or a date on two lines ("PLN-/001") has two client rects.
        const broken = await page.locator(`table#${table} :is(td.id a, a.id, td.date, span.date, .evidence-list a)`).evaluateAll((els) =>
          els.filter((e) => e.offsetParent && e.getClientRects().length > 1).map((e) => e.textContent));
        assert.deepEqual(broken, [], `${rel}: ids and dates wrapped inside`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test(`the register: titles link, current by default, show all, blanks last, empty result said (${scheme})`, async () => {
    const { page, problems, context } = await watchedPage(browser, DESKTOP);
    await page.goto(url(scheme, "site", "register.html"));
    const all = register(site);
    const inUse = all.filter((d) => d.state !== "superseded" && d.state !== "withdrawn").map((d) => d.id);
    assert.ok(inUse.length < all.length, "the example has a superseded document");
    assert.deepEqual(await shownIds(page), inUse);
    assert.match(await page.textContent("#register-count"), new RegExp(`^${inUse.length} of ${all.length} documents shown`));
    const title = page.locator("table#register tbody tr[data-id='POL-001'] td.title a");
    assert.equal(await title.getAttribute("href"), "documents/POL-001.html");
    await page.check("#filter-all");
    assert.equal((await shownIds(page)).length, all.length);
    assert.match(page.url(), /all=1/);
    // Blanks last, ascending and descending: record dates exist only on records.
    const header = page.locator("table#register thead th", { hasText: "Record date" });
    for (const order of ["ascending", "descending"]) {
      await header.locator("button").click();
      assert.equal(await header.getAttribute("aria-sort"), order);
      const dates = await page.locator("table#register tbody tr:not([hidden]) td.record-date").allTextContents();
      const firstBlank = dates.findIndex((d) => !d.trim());
      assert.ok(firstBlank > 0 && dates.slice(firstBlank).every((d) => !d.trim()), `${order}: ${dates.join("|")}`);
      const filled = dates.slice(0, firstBlank);
      const sorted = [...filled].sort();
      assert.deepEqual(filled, order === "ascending" ? sorted : sorted.reverse());
    }
    await page.uncheck("#filter-all");
    await page.check("#filter-overdue");
    assert.equal((await shownIds(page)).length, 0);
    assert.equal(await page.textContent("#register-empty"), "No overdue reviews.");
    assert.ok(await page.isVisible("#register-empty"));
    await page.click("#filter-reset");
    assert.ok(await page.isHidden("#register-empty"));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`the evidence index filters like the register; hashes open to the full value (${scheme})`, async () => {
    const { page, problems, context } = await watchedPage(browser, PHONE);
    await page.goto(url(scheme, "site", "evidence.html"));
    const evidence = JSON.parse(readFileSync(join(site, "evidence.json"), "utf8"));
    await page.selectOption("#evidence-kind", "attachment");
    const kinds = await page.locator("table#evidence tbody tr:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.kind));
    const attachments = evidence.filter((r) => r.kind === "attachment" && r.state !== "superseded" && r.state !== "withdrawn");
    assert.equal(kinds.length, attachments.length);
    assert.ok(kinds.every((k) => k === "attachment"));
    await page.check("#evidence-past");
    assert.equal(await page.textContent("#evidence-empty"), "No files match these filters.");
    await page.click("#evidence-reset");
    await page.check("#evidence-past");
    assert.equal(await page.textContent("#evidence-empty"), "Nothing is past its disposition date.");
    await page.click("#evidence-reset");
    const row = page.locator("table#evidence tbody tr").first();
    const path = await row.getAttribute("data-path");
    const sha = evidence.find((r) => r.path === path).sha256;
    assert.equal(await row.locator("code.hash-short").textContent(), sha.slice(0, 12));
    assert.ok(await row.locator("code.hash-full").isHidden());
    await row.locator(".hash-box summary").click();
    assert.equal(await row.locator("code.hash-full").textContent(), sha);
    assert.equal(await row.locator("code.hash-full").evaluate((e) => getComputedStyle(e).userSelect), "all");
    assert.equal(await page.textContent("table#evidence thead th:nth-child(5)"), "Supports");
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`search: clause and control numbers, passages highlighted, misspellings, the header box (${scheme})`, async () => {
    const { page, problems, context } = await watchedPage(browser, PHONE);
    await page.goto(url(scheme, "site", "search.html?q=6.1.3"));
    await page.waitForSelector("#search-results li");
    const titles = await page.locator("#search-results li h2").allTextContents();
    assert.match(titles[0], /^6\.1\.3 /);
    assert.equal(await page.locator("#search-results li h2 a").first().getAttribute("href"), "clauses/6.1.3.html");
    assert.ok(titles.some((t) => /^PLN-001 /.test(t)), "a document listing 6.1.3: " + titles.join("|"));
    assert.equal(await page.inputValue("#site-search-q"), "6.1.3");
    await page.goto(url(scheme, "site", "search.html?q=A.6.2.4"));
    await page.waitForSelector("#search-results li");
    assert.equal(await page.locator("#search-results li h2 a").first().getAttribute("href"), "annex-a/A.6.2.4.html");
    await page.goto(url(scheme, "site", "search.html?q=impact+assesment"));
    await page.waitForSelector("#search-results li .result-snippet mark");
    assert.match(await page.textContent("#search-suggestion"), /assesment.*assessment/);
    const marks = await page.locator("#search-results li .result-snippet mark").allTextContents();
    assert.ok(marks.length && marks.every((m) => /^(impact|assessment)/i.test(m)), marks.join("|"));
    // Document text becomes text nodes and <mark> elements, never markup.
    const tags = await page.locator("#search-results .result-snippet").evaluateAll((ps) =>
      [...new Set(ps.flatMap((p) => [...p.querySelectorAll("*")].map((e) => e.tagName)))]);
    assert.deepEqual(tags, ["MARK"]);
    assert.equal(await page.inputValue("#site-search-q"), "impact assesment");
    // Only the parts a query needs are loaded, never every text part.
    const loaded = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter((s) => /assets\/search\//.test(s)));
    const texts = readdirSync(join(site, "assets", "search")).filter((f) => f.startsWith("x"));
    assert.ok(loaded.filter((s) => /\/x\d+\.js$/.test(s)).length <= texts.length);
    assert.ok(loaded.some((s) => /\/t0\.js$/.test(s)));
    // axe reads stylesheets with XMLHttpRequest, which file:// refuses: checked over HTTP.
    if (scheme === "http") assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`a split register and evidence index sort and filter across every part (${scheme})`, async () => {
    const { page, problems, context } = await watchedPage(browser, DESKTOP);
    await page.goto(url(scheme, "split", "register.html"));
    const all = register(split);
    const parts = readdirSync(join(split, "assets", "register")).length;
    assert.equal(parts, Math.ceil(all.length / 5));
    assert.equal(await page.locator("table#register tbody tr").count(), 5, "the page holds its first page only");
    // Filter: every policy, from whichever part it is in.
    await page.selectOption("#filter-type", "policy");
    await page.waitForFunction(() => /of \d+ documents/.test(document.getElementById("register-count").textContent) && !/Loading/.test(document.getElementById("register-count").textContent));
    const policies = all.filter((d) => d.type === "policy" && d.state !== "superseded").map((d) => d.id);
    const seen = [];
    for (;;) {
      seen.push(...await shownIds(page));
      const next = page.locator("#register-pager .pager-next");
      if (!(await next.count()) || await next.isDisabled()) break;
      await next.click();
    }
    assert.deepEqual(seen, policies);
    // Sort: descending by id puts the last id of all parts first.
    await page.selectOption("#filter-type", "");
    await page.check("#filter-all");
    const idHeader = page.locator("table#register thead th").first();
    await idHeader.locator("button").click();
    await idHeader.locator("button").click();
    assert.equal(await idHeader.getAttribute("aria-sort"), "descending");
    const ids = all.map((d) => d.id).sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    assert.deepEqual(await shownIds(page), ids.slice(0, 5));
    // A row built from a part looks like one the page holds: title linked, short hash.
    const row = page.locator("table#register tbody tr").first();
    assert.equal(await row.locator("td.title a").getAttribute("href"), `documents/${ids[0]}.html`);
    assert.equal((await row.locator("code.hash-short").textContent()).length, 12);
    // The evidence index too.
    await page.goto(url(scheme, "split", "evidence.html#kind=attachment"));
    await page.waitForFunction(() => /files/.test(document.getElementById("evidence-count").textContent) && !/Loading|first/.test(document.getElementById("evidence-count").textContent));
    const evidence = JSON.parse(readFileSync(join(split, "evidence.json"), "utf8"));
    const count = evidence.filter((r) => r.kind === "attachment" && r.state !== "superseded" && r.state !== "withdrawn").length;
    assert.match(await page.textContent("#evidence-count"), new RegExp(`of ${count} files|^${count} of`));
    if (scheme === "http") assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
