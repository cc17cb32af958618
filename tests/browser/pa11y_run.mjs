// Run pa11y (WCAG 2 AA) on many pages with ONE Chromium. Its runners come from the input
// ("runners", by default HTML_CodeSniffer alone: the crawl runs axe itself on every page of every
// role, in Playwright; ["axe", "htmlcs"] runs both here).
//
// Input (JSON on stdin):
//   {"chromium": "/usr/bin/chromium", "runners": ["htmlcs"],
//    "roles": [{"name": "anonymous", "cookies": [{"name", "value", "domain", "path"}],
//               "urls": ["http://127.0.0.1:8000/", ...]}]}
// Output (JSON on stdout): [{"role", "url", "final_url", "status", "title", "ms",
//   "issues": [{"runner", "code", "message", "selector", "context"}], "review": [...]}]:
//   "issues" are pa11y's errors, "review" what axe could not decide (needs a human).
//
// Each role gets its own browser context (its own cookie jar) and one tab reused for all its
// URLs. The tab is navigated here with waitUntil "load" and pa11y is told to skip navigation
// (ignoreUrl): pa11y's own navigation waits for "networkidle2", half a second per page more.
// Requests to any other host than the pages' own are aborted (no third-party request).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

const input = JSON.parse(readFileSync(0, "utf-8"));
const browser = await puppeteer.launch({
  executablePath: input.chromium || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
const describe = (issue) => ({
  runner: issue.runner,
  code: issue.code,
  message: issue.message,
  selector: issue.selector,
  context: issue.context,
});
const silent = { debug() {}, error() {}, info() {} };
const results = [];
try {
  for (const role of input.roles) {
    const context = await browser.createBrowserContext();
    if (role.cookies && role.cookies.length) {
      await context.setCookie(...role.cookies);
    }
    const page = await context.newPage();
    const hosts = new Set(role.urls.map((url) => new URL(url).host));
    const route = (request) => {
      const url = request.url();
      if (url.startsWith("data:") || hosts.has(new URL(url).host)) request.continue();
      else request.abort();
    };
    await page.setRequestInterception(true);
    for (const url of role.urls) {
      // pa11y's clean-up calls page.off("request", undefined), which drops every "request"
      // listener: an intercepted request nobody continues would hang. Listen again each time.
      page.off("request", route);
      page.on("request", route);
      const started = Date.now();
      const response = await page.goto(url, { waitUntil: "load", timeout: 60_000 });
      const found = await pa11y(url, {
        browser,
        page,
        ignoreUrl: true,
        runners: input.runners || ["htmlcs"],
        standard: "WCAG2AA",
        // What axe cannot decide ("incomplete": e.g. the contrast of text drawn in an SVG chart)
        // is reported as a warning, kept apart below as "review" and checked by hand
        // (docs/rgaa.md); errors are the violations.
        levelCapWhenNeedsReview: "warning",
        includeWarnings: true,
        timeout: 60_000,
        log: silent,
      });
      results.push({
        role: role.name,
        url,
        final_url: page.url(),
        status: response ? response.status() : 0,
        title: found.documentTitle,
        ms: Date.now() - started,
        issues: found.issues.filter((issue) => issue.type === "error").map(describe),
        review: found.issues
          .filter((issue) => issue.runnerExtras && issue.runnerExtras.needsFurtherReview)
          .map(describe),
      });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
