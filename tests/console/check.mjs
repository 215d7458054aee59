// Drives the console in headless Chromium as each demo person (one browser context each, so
// no cookie or localStorage leaks between them) and checks what a person would rely on:
// the Ringkasan figures equal the statistics API's, each role sees its own agency only, a
// rotated secret really replaces the old one, the Audit page's in-browser verification
// notices a tampered checkpoint, and a trail look-up keeps the NIK out of every URL.
// On every page: nothing is requested outside the server, no CSP violation, no script
// error, and axe-core finds no serious or critical accessibility violation.
//
//   node check.mjs http://127.0.0.1:PORT SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error("usage: node check.mjs BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}
const origin = new URL(base).origin;
const started = Date.now();
// axe-core is vendored through npm (pinned in package.json), never fetched by the page.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const demoSecret = (id) => `${id}-DEMO-SECRET-not-for-production`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- bookkeeping: failures are collected so one run reports every difference -------------
const failures = [];
const summary = { pages: 0, requests: 0, withheld: 0, axe: {} };
function check(ok, where, what) {
  if (!ok) {
    failures.push(`${where}: ${what}`);
    console.error(`FAIL ${where}: ${what}`);
  }
  return ok;
}
// A precondition without which the rest of a person's checks mean nothing.
function must(ok, where, what) {
  if (!ok) throw new Error(`${where}: ${what}`);
}

// ---- the API, called from node as an integrator would ---------------------------------
async function tokenResponse(client, secret) {
  return fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
}
async function token(client, secret = demoSecret(client)) {
  const r = await tokenResponse(client, secret);
  must(r.ok, "API", `POST /oauth/token for ${client} answered ${r.status}`);
  return (await r.json()).access_token;
}
async function api(bearer, path, headers = {}) {
  const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
  must(r.ok, "API", `GET ${path} answered ${r.status}: ${(await r.clone().text()).slice(0, 300)}`);
  return r.json();
}

// ---- the browser -------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// A person's own context; `where` names the page being checked, for the messages.
async function person(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const p = { name, context, page, where: `${name} (no page yet)`, urls: [] };
  context.on("request", (r) => {
    summary.requests++;
    p.urls.push(r.url());
    const u = new URL(r.url());
    check(u.protocol === "data:" || u.origin === origin, p.where, `request outside ${origin}: ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (/Content Security Policy/i.test(m.text())) check(false, p.where, `CSP violation: ${m.text()}`);
    // A 4xx page (the refused sign-in, the role check) logs "Failed to load resource".
    else if (!/Failed to load resource/.test(m.text())) console.warn(`  console error on ${p.where}: ${m.text()}`);
  });
  page.on("pageerror", (e) => check(false, p.where, `script error: ${e.message}`));
  return p;
}

// axe injected by evaluate (a DevTools evaluation, which the page's CSP does not govern,
// where addScriptTag would be an inline script the CSP rightly refuses).
async function accessible(p) {
  await p.page.evaluate(axeSource);
  const { violations } = await p.page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  for (const v of violations) {
    summary.axe[v.impact] = (summary.axe[v.impact] ?? 0) + 1;
    const targets = v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ");
    if (v.impact === "serious" || v.impact === "critical") {
      check(false, p.where, `axe ${v.id} (${v.impact}): ${v.help}; at ${targets}`);
    } else {
      console.warn(`  axe ${v.id} (${v.impact}) on ${p.where}: ${targets}`);
    }
  }
}

// What every signed-in page has, then axe. `response` is the navigation's, when there was one.
async function looksLikeConsole(p, label, response, lang = "id") {
  p.where = `${p.name} ${label}`;
  summary.pages++;
  if (response) {
    check(response.status() === 200, p.where, `status ${response.status()} at ${p.page.url()}`);
    check(/default-src 'none'/.test(response.headers()["content-security-policy"] ?? ""), p.where,
      "no strict Content-Security-Policy header");
  }
  const { page } = p;
  check(await page.locator("main#isi h1").count() === 1, p.where, "no <main id=isi> with one <h1>");
  check(await page.getAttribute("html", "lang") === lang, p.where, `<html lang> is not ${lang}`);
  const menu = lang === "id" ? "Menu utama" : "Main menu";
  check(await page.locator(`nav[aria-label="${menu}"]`).count() === 1, p.where, `no <nav aria-label="${menu}">`);
  const other = lang === "id" ? "en" : "id";
  check(await page.locator(`a[hreflang="${other}"]`).count() === 1, p.where, `no language link hreflang=${other}`);
  await accessible(p);
}

async function screenshot(p, file, long = false) {
  const path = join(shots, file);
  const height = long ? Math.min(1600, await p.page.evaluate(() => document.documentElement.scrollHeight)) : 900;
  await p.page.screenshot({ path, fullPage: long, clip: { x: 0, y: 0, width: 1280, height } });
  const kb = Math.round(statSync(path).size / 1024);
  if (kb > 400) console.warn(`  ${file} is ${kb} KB (over ~400 KB)`);
}

// Signs in through the form and expects the role's own page.
async function signIn(p, username, home) {
  const { page } = p;
  p.where = `${p.name} sign-in`;
  await page.goto(`${base}/console/masuk`);
  await page.fill("#username", username);
  await page.fill("#password", `${username}-DEMO-PASSWORD`);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click("form.sign-in button[type=submit]"),
  ]);
  must(new URL(page.url()).pathname === home, p.where, `${username} landed on ${page.url()}, not ${home}: ` +
    `status ${response?.status()} ${response?.headers()["content-type"]} ${(await response?.text())?.slice(0, 200)}; ` +
    `the form's POST carried Origin: ${(await response?.request().allHeaders())?.origin}`);
  return response;
}

// ---- Ringkasan: every cell against the API ---------------------------------------------
const formatNumber = (n, lang) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "en" ? "," : ".");
const cellText = (cell, lang) =>
  cell.count != null ? formatNumber(cell.count, lang) : cell.suppressed === "small" ? "<5" : "×";

async function figuresMatchApi(p, bearer, lang) {
  const { page } = p;
  const query = new URLSearchParams([...new URL(page.url()).searchParams].filter(([k, v]) => k !== "lang" && v !== ""));
  const tables = await page.$$eval("table.numbers[data-table]", (ts) => ts.map((t) => ({
    table: t.dataset.table, by: t.dataset.by,
    cells: [...t.querySelectorAll("td[data-row][data-column]")].map((td) => [td.dataset.row, td.dataset.column, td.textContent.trim()]),
  })));
  const kinds = tables.map((t) => `${t.table}/${t.by}`).sort().join(" ");
  check(kinds === "conversion/month conversion/province follow-up/month", p.where, `tables are ${kinds}`);
  let compared = 0;
  for (const t of tables) {
    const answer = await api(bearer, `/v1/stats/${t.table}?by=${t.by}${query.size ? "&" + query : ""}`);
    const expected = new Map();
    for (const row of [...answer.rows, { key: "total", ...answer.totals }]) {
      answer.columns.forEach((c, i) => expected.set(`${row.key} ${c.code}`, cellText(row.cells[i], lang)));
      expected.set(`${row.key} total`, cellText(row.total, lang));
    }
    const shown = new Map(t.cells.map(([row, column, text]) => [`${row} ${column}`, text]));
    const differ = [...new Set([...expected.keys(), ...shown.keys()])]
      .filter((k) => expected.get(k) !== shown.get(k))
      .map((k) => `[${k}] page ${JSON.stringify(shown.get(k))} API ${JSON.stringify(expected.get(k))}`);
    check(differ.length === 0, p.where,
      `${t.table} by ${t.by} (${query || "no filter"}) differs from the API in ${differ.length} cells: ${differ.slice(0, 6).join("; ")}`);
    compared += shown.size;
    summary.withheld += [...shown.values()].filter((v) => v === "<5" || v === "×").length;
    if (t.table === "conversion" && t.by === "month") {
      const graduated = (await page.textContent('dd[data-figure="graduated"]'))?.trim();
      const total = answer.totals.total.count;
      const want = total == null ? (lang === "en" ? "withheld" : "disembunyikan") : formatNumber(total, lang);
      check(graduated === want, p.where, `dd[data-figure=graduated] is ${graduated}, the API's total ${want}`);
    }
  }
  check(compared > 0, p.where, "no table cell to compare");
  return compared;
}

// ---- the people --------------------------------------------------------------------------
async function coordinator() {
  const p = await person("koordinator");
  const { page } = p;
  // The sign-in page, and a refused sign-in (one failure: far from the lockout).
  p.where = "sign-in page";
  const form = await page.goto(`${base}/console/masuk`);
  summary.pages++;
  check(form.status() === 200, p.where, `status ${form.status()}`);
  for (const field of ["#username", "#password", "#code", 'input[type=hidden][name=csrf]']) {
    check(await page.locator(field).count() === 1, p.where, `no ${field}`);
  }
  await accessible(p);
  await screenshot(p, "masuk.png");
  await page.fill("#username", "koordinator");
  await page.fill("#password", "not-the-password");
  const [refused] = await Promise.all([page.waitForNavigation(), page.click("form.sign-in button[type=submit]")]);
  p.where = "refused sign-in";
  summary.pages++;
  check(refused.status() === 401, p.where, `status ${refused.status()}, not 401`);
  const refusedType = refused.headers()["content-type"] ?? "";
  if (check(refusedType.startsWith("text/html"), p.where, `answered ${refusedType}, not the form again: ${await refused.text()}`)) {
    check(await page.locator(".warning[role=alert]").count() === 1, p.where, "no .warning[role=alert]");
    check(await page.locator("#username").count() === 1, p.where, "the form is not shown again");
    await accessible(p);
  }

  await signIn(p, "koordinator", "/console/ringkasan");
  await looksLikeConsole(p, "ringkasan", null);
  const present = ["form.filters select[name=program]", "form.filters select[name=agency]", "form.filters select[name=region]",
    "form.filters input[name=from][type=month]", "form.filters input[name=to][type=month]", "form.filters button[type=submit]",
    ...["graduated", "picked-up", "enrolled", "within-30", "within-90"].map((f) => `dd[data-figure="${f}"]`),
    ...["per-bulan", "per-provinsi", "tindak-lanjut"].flatMap((c) => [`figure.chart#${c} > svg`, `figure.chart#${c} details table.numbers[data-table][data-by]`])];
  for (const selector of present) check(await page.locator(selector).count() === 1, p.where, `no ${selector}`);
  const bearer = await token("demo-coordinator");
  let cells = await figuresMatchApi(p, bearer, "id");
  await screenshot(p, "ringkasan.png", true);

  // The same through the filter form: the person's way of asking, and the API's answer.
  const province = await page.locator('select[name=region] option[value="32"]').count() ? "32"
    : await page.locator("select[name=region] option:nth-child(2)").getAttribute("value");
  await page.selectOption("select[name=program]", "PKH");
  await page.selectOption("select[name=region]", province);
  await page.fill("input[name=from]", "2025-06");
  await page.fill("input[name=to]", "2026-05");
  const [filtered] = await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
  const asked = new URL(page.url()).searchParams;
  check(asked.get("program") === "PKH" && asked.get("region") === province && asked.get("from") === "2025-06"
    && asked.get("to") === "2026-05", "koordinator ringkasan filtered", `the form asked ${page.url()}`);
  await looksLikeConsole(p, `ringkasan filtered (program PKH, region ${province}, 2025-06..2026-05)`, filtered);
  check(await page.inputValue("select[name=program]") === "PKH", p.where, "the program filter is not kept in the form");
  cells += await figuresMatchApi(p, bearer, "id");

  // English, by the page's own language link, which must keep the filters.
  const [english] = await Promise.all([page.waitForNavigation(), page.click('a[hreflang="en"]')]);
  check(new URL(page.url()).searchParams.get("program") === "PKH", "koordinator ringkasan English",
    `the language link dropped the filters: ${page.url()}`);
  await looksLikeConsole(p, "ringkasan English", english, "en");
  cells += await figuresMatchApi(p, bearer, "en");

  // Rujukan: every receiving agency.
  const referrals = await page.goto(`${base}/console/rujukan`);
  await looksLikeConsole(p, "rujukan", referrals);
  const agencies = await page.$$eval("#rujukan-per-instansi tr[data-agency]", (rs) => rs.map((r) => r.dataset.agency));
  check(agencies.length >= 2, p.where, `sees ${agencies.length} agencies (${agencies.join(", ")}), expected several`);
  check(await page.locator("#rujukan-tertua").count() === 0, p.where, "a coordinator sees an agency's referral ids");
  await screenshot(p, "rujukan.png", true);

  // Another role's page is refused, and signing out ends the session.
  p.where = "koordinator /console/audit";
  const refusedRole = await page.goto(`${base}/console/audit`);
  check(refusedRole.status() === 403, p.where, `status ${refusedRole.status()}, not 403`);
  // A refusal is a page for a person: HTML in both languages, not the API's problem+json.
  check((refusedRole.headers()["content-type"] ?? "").startsWith("text/html")
    && await page.locator(".warning[role=alert]").count() === 1, p.where,
    `the refusal is ${refusedRole.headers()["content-type"]}, not an HTML page with .warning[role=alert]`);
  await page.goto(`${base}/console/rujukan`);
  p.where = "koordinator sign-out";
  await Promise.all([page.waitForNavigation(), page.click('form[action="/console/keluar"] button')]);
  check(new URL(page.url()).pathname === "/console/masuk", p.where, `landed on ${page.url()}`);
  await page.goto(`${base}/console/ringkasan`);
  check(new URL(page.url()).pathname === "/console/masuk", p.where, `after signing out /console/ringkasan shows ${page.url()}`);
  await p.context.close();
  return { cells, agencies };
}

async function operator() {
  const p = await person("operator.kemendes");
  const { page } = p;
  await signIn(p, "operator.kemendes", "/console/rujukan");
  await looksLikeConsole(p, "rujukan", null);
  const agencies = await page.$$eval("#rujukan-per-instansi tr[data-agency]", (rs) => rs.map((r) => r.dataset.agency));
  check(agencies.length === 1 && agencies[0] === "KEMENDES", p.where, `sees agencies [${agencies.join(", ")}], expected only KEMENDES`);
  check(await page.locator("table#rujukan-tertua").count() === 1, p.where, "no table#rujukan-tertua");

  // A webhook whose receiver refuses connections (port 9 of the loopback, which the demo lets
  // webhooks reach over plain http): the page must show it with its failed attempts.
  const kemendes = await token("demo-kemendes");
  const created = await fetch(`${base}/v1/subscriptions`, {
    method: "POST",
    headers: { authorization: `Bearer ${kemendes}`, "content-type": "application/json" },
    body: JSON.stringify({ url: "http://127.0.0.1:9/sinergi", types: ["enrollment"], after: 0 }),
  });
  must(created.status === 201, p.where, `POST /v1/subscriptions answered ${created.status}`);
  const { id: subscription } = await created.json();
  for (let i = 0; i < 60; i++) {
    const attempts = await api(kemendes, `/v1/subscriptions/${subscription}/deliveries`);
    if (attempts.items?.length) break;
    await sleep(250);
  }

  await looksLikeConsole(p, "operasional", await page.goto(`${base}/console/operasional`));
  const failed = await page.locator(`article.subscription[data-subscription="${subscription}"] tbody tr`).count();
  check(failed >= 1, p.where, `the failing webhook shows ${failed} failed attempts, expected at least one`);
  const clients = await page.$$eval("#daftar-klien tr[data-client]", (rs) => rs.map((r) => r.dataset.client));
  check(clients.includes("demo-kemendes"), p.where, `clients [${clients.join(", ")}] lack demo-kemendes`);
  check(!clients.includes("demo-kemensos"), p.where, "an operator of KEMENDES sees KEMENSOS's client");
  check(await page.locator("#daftar-perjanjian").count() === 1, p.where, "no #daftar-perjanjian");
  await screenshot(p, "operasional.png", true);

  // Rotation: the secret shown once must work and the old one must not.
  const row = 'tr[data-client="demo-kemendes"]';
  const [rotated] = await Promise.all([page.waitForNavigation(),
    page.click(`${row} form[action="/console/operasional/klien/demo-kemendes/rotasi"] button`)]);
  await looksLikeConsole(p, "rotated secret", rotated);
  const secret = (await page.textContent("code#rahasia-baru"))?.trim() ?? "";
  check(secret.startsWith("sns_"), p.where, `code#rahasia-baru is ${JSON.stringify(secret.slice(0, 8))}…, not sns_…`);
  check((await tokenResponse("demo-kemendes", secret)).status === 200, p.where, "the new secret gets no token");
  const old = (await tokenResponse("demo-kemendes", demoSecret("demo-kemendes"))).status;
  check(old === 401, p.where, `the old secret answers ${old}, not 401`);

  // Disable, then enable again: the status cell follows, and so does the token endpoint.
  const status = () => page.textContent(`${row} td[data-column=status]`).then((t) => t?.trim());
  await page.goto(`${base}/console/operasional`);
  p.where = "operator.kemendes operasional disable";
  await Promise.all([page.waitForNavigation(), page.click(`${row} form[action$="/nonaktifkan"] button`)]);
  check(await status() === "Nonaktif", p.where, `status is ${await status()} after Nonaktifkan`);
  check((await tokenResponse("demo-kemendes", secret)).status !== 200, p.where, "a disabled client still gets a token");
  p.where = "operator.kemendes operasional enable";
  await Promise.all([page.waitForNavigation(), page.click(`${row} form[action$="/aktifkan"] button`)]);
  check(await status() === "Aktif", p.where, `status is ${await status()} after Aktifkan`);
  const again = await tokenResponse("demo-kemendes", secret);
  check(again.status === 200, p.where, `an enabled client gets no token: ${again.status} ${await again.text()}`);
  await p.context.close();
}

// The Audit page of a fresh browser: waits for the verifier's verdict.
async function auditState(p, how) {
  const response = await how();
  await p.page.waitForSelector("#checkpoint[data-state]", { timeout: 15000 });
  const read = (id) => p.page.textContent(id).then((t) => t?.trim());
  return {
    response, state: await p.page.getAttribute("#checkpoint", "data-state"),
    size: Number(await read("#checkpoint-size")), previous: await read("#checkpoint-previous"),
    warning: await read("#checkpoint-warning"), status: await read("#checkpoint-status"),
  };
}

async function auditor() {
  // A NIK of the demo, and an API request that touches it, for its trail.
  const kemensos = await token("demo-kemensos");
  const purpose = { "Sinergi-Purpose": "Verifikasi" };
  const first = (await api(kemensos, "/v1/graduations?limit=1", purpose)).items?.[0];
  const nik = first?.household?.head_nik ?? JSON.stringify(first ?? {}).match(/"\d{16}"/)?.[0]?.slice(1, -1);
  must(/^\d{16}$/.test(nik ?? ""), "API", `no NIK in the first graduation: ${JSON.stringify(first).slice(0, 300)}`);
  await api(kemensos, `/v1/graduations?nik=${nik}`, purpose);

  const p = await person("auditor");
  const { page } = p;
  await signIn(p, "auditor", "/console/audit");
  let seen = await auditState(p, async () => null);
  await looksLikeConsole(p, "audit (first visit)", null);
  check(seen.state === "first-visit", p.where, `data-state is ${seen.state} (${seen.status} ${seen.warning})`);
  const firstSize = seen.size;

  // The log grows (API traffic, and these page views); a later visit must prove it only grew.
  for (const path of ["/v1/whoami", "/v1/programs", "/v1/whoami"]) await api(kemensos, path);
  const deadline = Date.now() + 30000;
  do {
    await sleep(1500);
    const before = seen.size;
    seen = await auditState(p, () => page.reload());
    check(seen.state === "verified", "auditor audit (reload)", `data-state is ${seen.state}: ${seen.warning}`);
    check(seen.previous === String(before), "auditor audit (reload)", `#checkpoint-previous is ${seen.previous}, the last size seen ${before}`);
  } while (seen.size <= firstSize && seen.state === "verified" && Date.now() < deadline);
  await looksLikeConsole(p, "audit (verified)", seen.response);
  check(seen.size > firstSize, p.where, `the checkpoint stayed at ${firstSize} for 30 s`);
  await screenshot(p, "audit.png", true);

  // Tamper with what this browser remembers: same size, another root. The page must say so.
  await page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem("sinergi.audit.v1"));
    const root = Uint8Array.from(atob(kept.root), (c) => c.charCodeAt(0));
    root[0] ^= 0xff;
    localStorage.setItem("sinergi.audit.v1", JSON.stringify({ ...kept, root: btoa(String.fromCharCode(...root)) }));
  });
  seen = await auditState(p, () => page.reload());
  p.where = "auditor audit (tampered root)";
  check(seen.state === "failed", p.where, `data-state is ${seen.state}, not failed`);
  check(await page.isVisible("#checkpoint-warning") && seen.warning, p.where, "#checkpoint-warning is hidden or empty");

  // The trail: the NIK goes in a POST body only. Entries are searchable once integrated into
  // the log, so an empty answer is retried for a while (the look-up limit allows 10 at once).
  let count = 0;
  for (const until = Date.now() + 20000; ;) {
    await page.goto(`${base}/console/audit`);
    await page.fill("#nik", nik);
    await page.selectOption("#purpose", "permintaan-subjek");
    await page.fill("#note", "Uji otomatis konsol");
    const [answer] = await Promise.all([page.waitForNavigation(), page.click("form.lookup button[type=submit]")]);
    must(answer.status() === 200, "auditor trail", `the look-up answered ${answer.status()}: ${(await page.textContent("main"))?.slice(0, 200)}`);
    count = Number((await page.textContent("#trail-count"))?.replace(/\D/g, ""));
    if (count > 0 || Date.now() > until) break;
    await sleep(2000);
  }
  await looksLikeConsole(p, "trail result", null);
  const rows = await page.locator("table#trail-entries tbody tr:not(:has(td[colspan]))").count();
  check(count > 0 && rows >= 1, p.where, `#trail-count ${count}, ${rows} rows in table#trail-entries`);
  check(!page.url().includes(nik), p.where, `the page URL holds the NIK: ${page.url()}`);
  const leaked = p.urls.filter((u) => u.includes(nik));
  check(leaked.length === 0, p.where, `requests with the NIK in their URL: ${leaked.join(", ")}`);
  await screenshot(p, "jejak.png", true);
  await p.context.close();
  return { nik, firstSize, lastSize: seen.size, trail: count };
}

async function dpo() {
  const p = await person("dpo.kemensos");
  await signIn(p, "dpo.kemensos", "/console/audit");
  const seen = await auditState(p, async () => null);
  await looksLikeConsole(p, "audit", null);
  check(seen.state === "first-visit", p.where, `data-state is ${seen.state} (${seen.warning})`);
  await p.context.close();
}

// ---- run ---------------------------------------------------------------------------------
// Each person on their own: one whose precondition fails does not hide the others' results.
const facts = {};
for (const [name, run] of Object.entries({ coordinator, operator, auditor, dpo })) {
  try {
    facts[name] = await run();
  } catch (e) {
    failures.push(e.message);
    console.error(`FAIL ${e.message}`);
  }
}
await browser.close();
const axe = Object.entries(summary.axe).map(([k, v]) => `${v} ${k}`).join(", ") || "none";
console.log(`${summary.pages} pages, ${summary.requests} requests, ` +
  `${facts.coordinator?.cells ?? 0} table cells compared with the API (${summary.withheld} withheld), ` +
  `audit log ${facts.auditor?.firstSize ?? "?"} -> ${facts.auditor?.lastSize ?? "?"} entries, ` +
  `trail of ${facts.auditor?.trail ?? "?"} entries; axe violations: ${axe}; ` +
  `${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  console.error(`${failures.length} failure(s):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("console check passed");
