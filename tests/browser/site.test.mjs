// Browser tests of the example portal: navigation an auditor takes, no console errors or CSP
// violations on any page, accessibility (axe-core) on every page type, and screenshots for docs/.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, mkdirSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExample, serve, launch, watchedPage, axe, repo, CSP_META, policyOf, aimsdocServe, scratch } from "./support.mjs";

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

// ---- Document pages: the text first; the preview tells the truth about CI (issue 16) ---------

const PHONE = { viewport: { width: 390, height: 844 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

describe("document pages put the text first", () => {
  for (const mode of ["http", "file"]) {
    for (const [device, options] of [["phone", PHONE], ["desktop", DESKTOP]]) {
      test(`control facts above the text, details folded, contents placed for the screen (${device}, ${mode})`, async () => {
        const { page, problems, context } = await watchedPage(browser, options);
        const url = (rel) => (mode === "http" ? base + rel : pathToFileURL(join(site, rel)).href);
        await page.goto(url("documents/POL-001.html"));
        const facts = page.locator("#doc-facts");
        assert.match(await facts.innerText(), /Version\s+2\.1/);
        assert.match(await facts.innerText(), /Approved 2026-08-18 by/);
        const details = page.locator("details#document-control");
        assert.equal(await details.evaluate((d) => d.open), false, "folded by default");
        assert.equal(await page.locator("details#document-control dl.details").isVisible(), false);
        // The policy text starts on the first screen (it started 1,760 px down on a phone).
        const text = await page.locator(".doc-main .body h2").first().boundingBox();
        const tocFold = await page.locator("#toc-fold").evaluate((d) => d.open);
        if (device === "phone") {
          assert.equal(tocFold, false, "the contents fold on a phone");
          assert.ok(text.y < 844, `text starts at ${text.y}px`);
        } else {
          assert.equal(tocFold, true, "the contents stand open beside the text");
          const toc = await page.locator("nav.toc").boundingBox();
          assert.ok(toc.x > text.x + text.width, "in the right margin");
          await page.mouse.wheel(0, 2500);
          await page.waitForFunction(() => window.scrollY > 1000);
          const stuck = await page.locator("nav.toc").boundingBox();
          assert.ok(stuck.y >= 0 && stuck.y < 40, `sticky: the contents stay at ${stuck.y}px`);
        }
        // Numbered headings are not numbered twice.
        assert.equal(await page.locator("nav.toc ol").count(), 0);
        // Opening the details shows the rest.
        await page.click("details#document-control > summary");
        assert.ok(await page.locator("details#document-control code.hash").isVisible());
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
    test(`a superseded document leads to the version in force, in a warning colour (${mode})`, async () => {
      const { page, problems, context } = await watchedPage(browser, DESKTOP);
      await page.goto(mode === "http" ? base + "documents/POL-002.html" : pathToFileURL(join(site, "documents/POL-002.html")).href);
      const banner = page.locator(".banner-superseded");
      assert.match(await banner.innerText(), /Current version: POL-003/);
      const [bg, warn] = await banner.evaluate((b) => [getComputedStyle(b).backgroundColor,
        getComputedStyle(document.documentElement).getPropertyValue("--warn-bg").trim()]);
      assert.equal(warn, "#fff2d3");
      assert.equal(bg, "rgb(255, 242, 211)");
      await banner.locator("a").click();
      assert.match(await page.title(), /POL-003/);
      assert.deepEqual(problems, []);
      await context.close();
    });
    test(`printing opens the control details and loads only the page's own marks (${mode})`, async () => {
      const { page, problems, context } = await watchedPage(browser, DESKTOP);
      const requested = [];
      page.on("request", (r) => requested.push(r.url()));
      await page.goto(mode === "http" ? base + "documents/GDL-002.html" : pathToFileURL(join(site, "documents/GDL-002.html")).href);
      await page.emulateMedia({ media: "print" });
      assert.ok(await page.locator("details#document-control dl.details").isVisible(), "printed in full");
      const marks = requested.filter((u) => u.includes("/assets/marks/")).map((u) => u.replace(/^.*\/assets\/marks\//, ""));
      assert.deepEqual(marks.sort(), ["doc-GDL-002.css", "site.css"]);
      if (mode === "http") {
        const rules = await page.evaluate(() => [...document.styleSheets].filter((s) => (s.href || "").includes("/marks/"))
          .flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join("\n"));
        assert.match(rules, /DRAFT - NOT APPROVED/);
        assert.match(rules, /Kestrel Financial Services Ltd/);
        const pdf = await page.pdf({ format: "A4" });
        assert.ok(pdf.length > 1000);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

/** A copy of content-example with `edits` applied (relative path -> [from, to]); its root. */
function editedExample(edits) {
  const root = join(scratch("aimsdoc-edited-"), "content");
  cpSync(join(repo, "content-example"), root, { recursive: true, filter: (src) => !src.startsWith(join(repo, "content-example", "site")) });
  for (const [rel, [from, to]] of Object.entries(edits)) {
    const text = readFileSync(join(root, rel), "utf8");
    assert.ok(text.includes(from), `${rel} lacks ${from}`);
    writeFileSync(join(root, rel), text.replace(from, to));
  }
  return root;
}

describe("the preview tells the truth about CI", () => {
  test("no findings: /__aimsdoc/errors says No errors in green", async () => {
    const { child, base: live } = await aimsdocServe(join(repo, "content-example"));
    try {
      const { page, problems, context } = await watchedPage(browser, DESKTOP);
      await page.goto(live + "__aimsdoc/errors");
      assert.equal(await page.locator("h1").innerText(), "No errors");
      assert.equal(await page.locator("h1").evaluate((h) => getComputedStyle(h).color), "rgb(105, 240, 174)");
      await page.goto(live + "documents/POL-001.html");
      assert.equal(await page.locator("#aimsdoc-errors, #aimsdoc-page-findings").count(), 0);
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      child.kill();
    }
  });

  for (const [device, options] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    test(`warnings and errors: folded banner, the page's own findings with the field named (${device})`, async () => {
      const root = editedExample({
        "documents/02-leadership/pol-001-ai-policy.md": ["next_review: 2027-08-17", "next_review: 2027-13-45"],
        "documents/02-leadership/pol-003-acceptable-use-of-ai-tools-policy.md": ["owner: Chief Information Security Officer", "owner: TODO (owner)"],
      });
      const { child, base: live } = await aimsdocServe(root);
      try {
        const { page, problems, context } = await watchedPage(browser, options);
        await page.goto(live + "documents/POL-001.html");
        const banner = page.locator("#aimsdoc-errors");
        assert.match(await banner.locator("details.aimsdoc-warnings > summary").innerText(), /warnings?: check --strict will fail/);
        assert.match(await banner.locator("details.aimsdoc-errors > summary").innerText(), /errors? in the documents/);
        assert.equal(await banner.locator("details[open]").count(), 0, "folded");
        const height = (await banner.boundingBox()).height;
        assert.ok(height < 0.2 * options.viewport.height, `the folded banner is ${height}px high`);
        await banner.locator("details.aimsdoc-warnings > summary").click();
        assert.ok(await banner.locator("details.aimsdoc-warnings li code").first().isVisible(), "backticks as code");
        assert.match(await banner.locator("details.aimsdoc-warnings li").first().innerText(), /help: /);
        // The page's own findings, under its control facts, name the field.
        const panel = page.locator("#aimsdoc-page-findings");
        assert.ok(await panel.isVisible());
        assert.match(await panel.locator("li", { hasText: "ID008" }).innerText(), /Next review: next_review is 2027-13-45/);
        const facts = await page.locator("#doc-facts").boundingBox();
        assert.ok((await panel.boundingBox()).y > facts.y, "below the facts");
        assert.deepEqual(await axe(page), [], "the findings are readable (axe)");
        await page.goto(live + "__aimsdoc/errors");
        assert.match(await page.locator("h1").innerText(), /error/);
        assert.ok(await page.locator("li.warning .hint code").count() > 0);
        assert.deepEqual(problems.filter((p) => !p.includes("HTTP 404")), []);
        await context.close();
      } finally {
        child.kill();
      }
    });
  }
});

describe("the dashboard says what is due, by owner", () => {
  test("each owner's reviews, approvals and disposals within 30 days, axe-clean", async () => {
    const { page, problems, context } = await watchedPage(browser, PHONE);
    await page.goto(base + "index.html");
    const heading = page.locator("#due-by-owner");
    assert.match(await heading.innerText(), /Due in the next 30 days or overdue, by owner/);
    const section = page.locator("section#due");
    const owners = await section.locator("section.due-owner").count();
    const empty = await section.locator("p", { hasText: "Nothing is due" }).count();
    assert.ok(owners > 0 || empty === 1, "a list or an explicit nothing");
    assert.equal((await page.locator("nav.sidebar a[href='checklist.html']").textContent()).trim(), "Mandatory documented information");
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
