// Opens the class board in headless Chromium (run by scripts/check-class-board.sh):
// the learner's row is there; a learner solves an exercise and runs a check;
// the row changes on the open page without a reload; a screenshot is saved.
//
// usage: node class_board.mjs CHROMIUM URL LEARNER_DIR WORKSHOP_BIN OUT_DIR
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [chromiumBin, url, learnerDir, workshop, outDir] = process.argv.slice(2);
const fail = (msg) => { console.error(`class board check: FAILED: ${msg}`); process.exit(1); };

const browser = await chromium.launch({
  executablePath: chromiumBin,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const cdn = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) cdn.push(r.url()); });
  await page.goto(url + "/");
  const greet = 'tr[data-learner="ada"] i[data-exercise="greet"]';
  await page.waitForSelector(greet, { timeout: 10000 }).catch(() => fail("no row for ada on the page"));
  const before = await page.getAttribute(greet, "data-status");
  if (before === "solved") fail(`greet is solved before the learner solved it (${before})`);
  // A marker that a reload would wipe out.
  await page.evaluate(() => { window.__sameDocument = true; });
  const rendersBefore = Number(await page.getAttribute("body", "data-renders"));

  // The learner solves `greet` and `add` and checks.
  const sol = readFileSync(join(learnerDir, "solutions/01-hello/src/lib.rs"), "utf8")
    .split("\n")
    .filter((l) => !/^\s*(\/\/ ANCHOR|\/\/~|\/\/ solution:)/.test(l))
    .join("\n");
  writeFileSync(join(learnerDir, "exercises/01-hello/src/lib.rs"), sol);
  const started = Date.now();
  execFileSync(workshop, ["check", "1"], { cwd: learnerDir, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });

  await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.status === "solved", greet, { timeout: 10000 })
    .catch(() => fail("the page did not show ada's solved exercise within 10 s"));
  const seenAfter = Date.now() - started;
  const same = await page.evaluate(() => window.__sameDocument === true);
  if (!same) fail("the page reloaded to show the change; it must update live");
  const rendersAfter = Number(await page.getAttribute("body", "data-renders"));
  if (!(rendersAfter > rendersBefore)) fail("no live render happened");
  if (cdn.length) fail(`the page loaded something from elsewhere: ${cdn.join(", ")}`);
  await page.screenshot({ path: join(outDir, "class-board.png"), fullPage: true });
  await page.setViewportSize({ width: 400, height: 720 });
  await page.screenshot({ path: join(outDir, "class-board-400.png"), fullPage: true });
  console.log(`class board check: ok (row updated live ${seenAfter} ms after the check started; screenshots in ${outDir})`);
} finally {
  await browser.close();
}
