// Browser tests of the theme: phone layout without horizontal scrolling, the sidebar (its links
// resolve, it collapses on a phone without JavaScript, type links filter the register), the
// accent and logo from [site] applied through brand.css, and print styles.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExample, buildBranded, serve, launch, watchedPage, axe } from "./support.mjs";

const PHONE = { width: 360, height: 780 };
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#d4731a"/></svg>';
// An orange too light for text on white (about 4.1:1): the theme has to derive a readable variant.
const ACCENT = "#d4731a";

let site, server, base, branded, brandedServer, brandedBase, browser;

before(async () => {
  site = buildExample();
  ({ server, base } = await serve(site));
  branded = buildBranded(`accent = "${ACCENT}"\nlogo = "branding/logo.svg"`, { "branding/logo.svg": LOGO });
  ({ server: brandedServer, base: brandedBase } = await serve(branded));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  brandedServer?.close();
});

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("a 360 px phone shows every page type without horizontal scrolling", async () => {
  const { page, problems, context } = await watchedPage(browser, { viewport: PHONE });
  const pages = ["index.html", "register.html", "documents/POL-001.html", "documents/SOA-001.html", "clauses/7.5.3.html",
    "annex-a/A.6.2.4.html", "clauses/index.html", "soa.html", "evidence.html", "checklist.html", "nist-ai-rmf.html",
    "iso27001.html", "search.html?q=policy"];
  const wide = {};
  for (const rel of pages) {
    await page.goto(base + rel);
    const px = await overflow(page);
    if (px > 0) wide[rel] = px;
  }
  assert.deepEqual(wide, {});
  assert.deepEqual(problems, []);
  await context.close();
});

test("on a phone the sidebar is a collapsed menu, also without JavaScript", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { page, context } = await watchedPage(browser, { viewport: PHONE, javaScriptEnabled });
    await page.goto(base + "documents/POL-001.html");
    const link = page.locator("nav.sidebar a[href='../register.html']");
    assert.equal(await link.isVisible(), false, `collapsed (js ${javaScriptEnabled})`);
    await page.click("#nav-menu > summary");
    assert.equal(await link.isVisible(), true, `opens (js ${javaScriptEnabled})`);
    await link.click();
    assert.match(await page.title(), /Document register/);
    await context.close();
  }
  // On a wide screen it is open, with or without JavaScript.
  for (const javaScriptEnabled of [true, false]) {
    const { page, context } = await watchedPage(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    await page.goto(base + "index.html");
    assert.equal(await page.locator("nav.sidebar a[href='soa.html']").isVisible(), true, `js ${javaScriptEnabled}`);
    assert.equal(await page.locator("#nav-menu > summary").isVisible(), false);
    await context.close();
  }
});

test("every sidebar link resolves, from the site root and from a sub-folder", async () => {
  const { page, problems, context } = await watchedPage(browser);
  for (const rel of ["index.html", "documents/PRC-004.html", "annex-a/A.6.2.4.html"]) {
    await page.goto(base + rel);
    const hrefs = await page.locator("nav.sidebar a").evaluateAll((as) => as.map((a) => a.href));
    assert.ok(hrefs.length >= 30, `${rel}: ${hrefs.length} links`);
    for (const href of hrefs) {
      const response = await page.request.get(href.split("#")[0]);
      assert.equal(response.status(), 200, `${rel}: ${href}`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

for (const mode of ["http", "file"]) {
  test(`a sidebar type link filters the register (${mode})`, async () => {
    const { page, problems, context } = await watchedPage(browser);
    const start = mode === "http" ? base + "documents/POL-001.html" : pathToFileURL(join(site, "documents", "POL-001.html")).href;
    await page.goto(start);
    await page.click("nav.sidebar a[href='../register.html#type=procedure']");
    await page.waitForFunction(() => document.getElementById("filter-type")?.value === "procedure");
    const shown = await page.locator("table#register tbody tr:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.type));
    assert.ok(shown.length > 1 && shown.every((t) => t === "procedure"), shown.join(","));
    assert.equal(await page.locator("nav.sidebar a[aria-current='true']").textContent().then((t) => t.replace(/\s+/g, " ").trim()), `Procedures ${shown.length}`);
    // Another type link on the same page filters again (no reload: only the fragment changes).
    await page.click("nav.sidebar a[href='register.html#type=policy']");
    await page.waitForFunction(() => document.getElementById("filter-type")?.value === "policy");
    assert.ok((await page.locator("table#register tbody tr:not([hidden])").count()) < shown.length);
    // Changing a filter writes it back into the URL, so the view can be linked.
    await page.selectOption("#filter-type", "record");
    await page.waitForFunction(() => window.location.hash === "#type=record");
    await page.click("#filter-reset");
    // The default view again: everything but superseded and withdrawn documents.
    const hidden = await page.locator("table#register tbody tr[hidden]").evaluateAll((rs) => rs.map((r) => r.dataset.state));
    assert.ok(hidden.every((s) => s === "superseded" || s === "withdrawn"), hidden.join(","));
    // A query string works as well as the fragment.
    await page.goto(start.replace(/documents\/POL-001\.html$/, "register.html?type=policy&overdue=0"));
    const policies = await page.locator("table#register tbody tr:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.type));
    assert.ok(policies.length > 0 && policies.every((t) => t === "policy"), policies.join(","));
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the [site] accent and logo apply through brand.css, readable in light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, problems, context } = await watchedPage(browser, { colorScheme });
    await page.goto(brandedBase + "documents/POL-001.html");
    const style = await page.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      return {
        brand: root.getPropertyValue("--brand").trim(),
        accent: root.getPropertyValue("--accent").trim(),
        link: getComputedStyle(document.querySelector(".breadcrumbs a")).color,
        sheets: [...document.styleSheets].map((s) => s.href && s.href.split("/").pop()),
      };
    });
    assert.equal(style.brand, ACCENT, colorScheme);
    // On white the orange is too light for text, so links use a darker variant; on the dark
    // background it is readable as it is.
    if (colorScheme === "light") assert.notEqual(style.accent, ACCENT, "a readable variant is used");
    const [r, g, b] = style.accent.match(/[0-9a-f]{2}/g).map((h) => parseInt(h, 16));
    assert.equal(style.link, `rgb(${r}, ${g}, ${b})`, `${colorScheme}: links use the derived accent`);
    assert.ok(style.sheets.indexOf("brand.css") > style.sheets.indexOf("style.css"), style.sheets.join(","));
    const logo = page.locator("header img.brand-logo");
    assert.equal(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), true, "the logo loads");
    for (const rel of ["index.html", "documents/POL-001.html", "register.html"]) {
      await page.goto(brandedBase + rel);
      assert.deepEqual(await axe(page), [], `${colorScheme} ${rel}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("printing a document hides the navigation and shows link addresses", async () => {
  const { page, context } = await watchedPage(browser);
  await page.goto(base + "documents/POL-001.html");
  await page.emulateMedia({ media: "print" });
  for (const selector of [".site-header", "#nav-menu", ".breadcrumbs", ".site-search", ".skip-link", ".toc"]) {
    assert.equal(await page.locator(selector).first().isVisible(), false, selector);
  }
  assert.equal(await page.locator(".control-block").isVisible(), true);
  // Links print their address (the NIST page cites its source by URL).
  await page.goto(base + "nist-ai-rmf.html");
  await page.emulateMedia({ media: "print" });
  const after = await page.evaluate(() => {
    const a = document.querySelector(".content a[href^='http']");
    return { href: a.getAttribute("href"), content: getComputedStyle(a, "::after").content };
  });
  assert.ok(after.content.includes(after.href) || after.content.includes("attr(href)"), JSON.stringify(after));
  await page.goto(base + "register.html");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#register-filters").isVisible(), false, "no filters on paper");
  assert.equal(await page.locator("#nav-menu").isVisible(), false);
  const table = await page.evaluate(() => ({
    head: getComputedStyle(document.querySelector("#register thead")).display,
    width: document.querySelector("#register").getBoundingClientRect().width,
    body: document.querySelector("main").getBoundingClientRect().width,
    hidden: [...document.querySelectorAll("#register thead th")].filter((th) => getComputedStyle(th).display === "none").length,
    // Chromium repeats a header row only when it holds no form controls.
    buttons: [...document.querySelectorAll("#register thead button")].map((b) => getComputedStyle(b).display),
  }));
  assert.ok(table.buttons.length > 0 && table.buttons.every((d) => d === "contents"), table.buttons.join(","));
  assert.equal(table.head, "table-header-group", "the header row repeats on every page");
  assert.ok(table.width >= table.body - 1, `full width: ${table.width} of ${table.body}`);
  assert.equal(table.hidden, 0, "every column prints");
  await context.close();
});
