// Loads the interactive API docs in headless Chromium, waits until Swagger UI has rendered
// the operations, saves a screenshot, and fails if the page requested anything that is not
// on 127.0.0.1 (the docs must work with no internet: no CDN, no external font).
//
//   node check.mjs http://127.0.0.1:8080 screenshot.png
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) {
  console.error("usage: node check.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
const requested = [];
page.on("request", (r) => requested.push(r.url()));
await page.goto(`${base}/docs/`, { waitUntil: "networkidle" });
await page.waitForSelector(".opblock-summary-path", { timeout: 15000 });
const operations = await page.locator(".opblock").count();
await page.screenshot({ path: screenshot, fullPage: false });
await browser.close();

const outside = requested.filter((u) => {
  const { protocol, hostname } = new URL(u);
  return !(protocol === "data:" || hostname === "127.0.0.1");
});
console.log(`${requested.length} requests, ${operations} operations rendered`);
if (operations === 0 || outside.length > 0) {
  console.error("requests leaving 127.0.0.1:", outside);
  process.exit(1);
}
