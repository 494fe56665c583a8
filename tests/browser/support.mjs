// Shared setup for the browser tests: build the example portal once, serve it over HTTP with a
// strict Content-Security-Policy, and launch Debian's headless Chromium through playwright-core.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync, cpSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, extname, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CSP = "default-src 'self'";
/** The policy every page carries in its own `<meta http-equiv>` (theme/templates/base.html). */
export const CSP_META = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
  ".csv": "text/csv", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".zip": "application/zip",
};

const scratchDirs = [];
/** A new temporary folder named `prefix` + a random suffix, removed when the test process exits. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
process.on("exit", () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** The debug binary `cargo build` made (honours CARGO_TARGET_DIR), or AIMSDOC_BIN. */
export function aimsdocBin() {
  if (process.env.AIMSDOC_BIN) return process.env.AIMSDOC_BIN;
  return join(resolve(repo, process.env.CARGO_TARGET_DIR || "target"), "debug", "aimsdoc");
}

/** Builds content-example into a fresh temporary directory and returns its path. */
export function buildExample() {
  if (!process.env.AIMSDOC_BIN) execFileSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: "inherit" });
  const out = join(scratch("aimsdoc-browser-"), "site");
  const bin = aimsdocBin();
  execFileSync(bin, ["build", join(repo, "content-example"), "--out", out], {
    env: { ...process.env, AIMSDOC_TODAY: "2026-11-27" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

/** Builds a copy of content-example branded with `siteLines` (added to its `[site]` section)
 *  and the files in `extra` (path relative to the content root -> text); returns the site path. */
export function buildBranded(siteLines, extra = {}) {
  if (!process.env.AIMSDOC_BIN) execFileSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: "inherit" });
  const tmp = scratch("aimsdoc-branded-");
  const root = join(tmp, "content");
  cpSync(join(repo, "content-example"), root, { recursive: true, filter: (src) => !src.startsWith(join(repo, "content-example", "site")) });
  const config = join(root, "aimsdoc.toml");
  writeFileSync(config, readFileSync(config, "utf8").replace("[site]\n", `[site]\n${siteLines}\n`));
  for (const [rel, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const out = join(tmp, "site");
  const bin = aimsdocBin();
  execFileSync(bin, ["build", root, "--out", out], {
    env: { ...process.env, AIMSDOC_TODAY: "2026-11-27" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

/** Serves `root` on 127.0.0.1 (ephemeral port) with the CSP header; resolves to the base URL. */
export function serve(root) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    let file = join(root, path);
    if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "content-security-policy": CSP });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, base: `http://127.0.0.1:${server.address().port}/` })));
}

/** Launches headless Chromium (CHROMIUM env var, else /usr/bin/chromium). */
export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

/** Opens a page that records console errors, page errors, failed requests and CSP violations. */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  // A request aborted because the test navigated on (e.g. a favicon) is not a failure.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the current page and returns its violations. */
export async function axe(page) {
  const source = readFileSync(join(repo, "tests", "browser", "node_modules", "axe-core", "axe.min.js"), "utf8");
  // Injected through the DevTools protocol, not a <script> element, so the page's CSP is unchanged.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
}

/** The content of the page's Content-Security-Policy meta (null when there is none) and of its
 *  referrer meta. */
export async function policyOf(page) {
  return page.evaluate(() => ({
    csp: document.querySelector("head > meta[http-equiv='Content-Security-Policy']")?.content ?? null,
    referrer: document.querySelector("head > meta[name='referrer']")?.content ?? null,
  }));
}

/** Starts `aimsdoc serve ROOT --port 0`; resolves to the child process and its base URL once it
 *  prints where it serves. The caller kills the child. */
export function aimsdocServe(root) {
  if (!process.env.AIMSDOC_BIN) execFileSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: "inherit" });
  const child = spawn(aimsdocBin(), ["serve", root, "--port", "0"], {
    env: { ...process.env, AIMSDOC_TODAY: "2026-11-27" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise((ok, fail) => {
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const found = stderr.match(/serving on (http:\/\/\S+\/)/);
      if (found) ok({ child, base: found[1] });
    });
    child.on("exit", (code) => fail(new Error(`aimsdoc serve exited with ${code}:\n${stderr}`)));
  });
}
