// The book's layout, measured in headless Chromium (run by scripts/check-book.sh).
//
// usage: node check_layout.mjs CHROMIUM BASE_URL PAGES_FILE OUT_DIR [WIDTH...]
//
// For every page (one path a line in PAGES_FILE) and every window width
// (default 1280 and 400):
//   * a full-page screenshot goes to OUT_DIR/screens/WIDTH/PAGE.png;
//   * no element sticks out of the content column (<main>): element boxes
//     are measured against the column. Inside a box that scrolls or clips
//     horizontally (a <pre>, a table wrapper) only that box itself has to
//     fit: scrolling inside it is fine. The page itself must not scroll
//     sideways either;
//   * every SVG picture (an <img> of an .svg, or an inline <svg>) is laid out
//     at the size the page gives it, and each of its <text> elements must
//     render at 12 px or more (font size times the picture's scale) and lie
//     inside the picture (nothing cut off);
//   * no Run button (the book sets [output.html.playground] runnable = false).
// Prints one line per page and width; exits 1 when anything failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [bin, base, pagesFile, out, ...w] = process.argv.slice(2);
const widths = w.length ? w.map(Number) : [1280, 400];
const pages = fs.readFileSync(pagesFile, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
const MIN_PX = 12;
const SLACK = 1; // px: sub-pixel rounding

const browser = await chromium.launch({
  executablePath: bin,
  args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-quic"],
});
let failures = 0;
const smallest = {}; // svg file -> smallest rendered text (px) seen
try {
  for (const width of widths) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    fs.mkdirSync(path.join(out, "screens", String(width)), { recursive: true });
    for (const p of pages) {
      await page.goto(`${base}/${p}`, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      // mdBook hides the sidebar below 620 px; close it anyway so the column is the page's.
      const r = await page.evaluate(measure, { MIN_PX, SLACK });
      const png = path.join(out, "screens", String(width), p.replace(/\//g, "__").replace(/\.html$/, ".png"));
      await page.screenshot({ path: png, fullPage: true });
      for (const [src, px] of Object.entries(r.svgMin)) {
        const key = `${src} @${width}`;
        smallest[key] = Math.min(smallest[key] ?? Infinity, px);
      }
      if (r.problems.length) {
        failures += r.problems.length;
        console.log(`  FAIL ${width}px ${p} (column ${r.column} px)`);
        for (const x of r.problems.slice(0, 8)) console.log(`       ${x}`);
        if (r.problems.length > 8) console.log(`       ... and ${r.problems.length - 8} more`);
      } else {
        console.log(`  ok   ${width}px ${p}: column ${r.column} px, ${r.checked} boxes, ${r.svgTexts} SVG texts`);
      }
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
const svgLines = Object.entries(smallest).sort();
if (svgLines.length) {
  const worst = svgLines.reduce((a, b) => (b[1] < a[1] ? b : a));
  console.log(`  smallest SVG text: ${worst[1].toFixed(1)} px (${worst[0]})`);
}
process.exit(failures ? 1 : 0);

// Runs in the page.
async function measure({ MIN_PX, SLACK }) {
  const problems = [];
  const main = document.querySelector(".content main") || document.querySelector("main");
  const col = main.getBoundingClientRect();
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    else if (el.classList.length) s += "." + [...el.classList].slice(0, 2).join(".");
    const t = (el.getAttribute("src") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return t ? `${s} "${t}"` : s;
  };
  const scrolls = (el) => {
    const o = getComputedStyle(el).overflowX;
    return o === "auto" || o === "scroll" || o === "hidden" || o === "clip";
  };
  // Element boxes against the column.
  let checked = 0;
  const walk = (el) => {
    for (const c of el.children) {
      const cs = getComputedStyle(c);
      if (cs.display === "none" || cs.visibility === "hidden") continue;
      if (c.closest("svg") && c.tagName.toLowerCase() !== "svg") continue;
      const b = c.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) {
        checked++;
        const over = Math.max(b.right - col.right, col.left - b.left);
        if (over > SLACK) problems.push(`${name(c)} sticks out of the column by ${over.toFixed(0)} px`);
      }
      if (!scrolls(c)) walk(c);
    }
  };
  walk(main);
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + SLACK)
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px wide in a ${window.innerWidth} px window`);
  if (document.querySelector(".play-button, .playground"))
    problems.push("a Run button (playground) is on the page");

  // SVG text sizes, as rendered.
  const svgMin = {};
  let svgTexts = 0;
  const checkSvg = (svg, label) => {
    const box = svg.getBoundingClientRect();
    let min = Infinity;
    const small = [];
    const cut = [];
    for (const t of svg.querySelectorAll("text")) {
      if (!t.textContent.trim()) continue;
      svgTexts++;
      const m = t.getScreenCTM();
      const scale = Math.sqrt(m.a * m.a + m.b * m.b);
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      min = Math.min(min, px);
      if (px < MIN_PX - 0.05) small.push(`"${t.textContent.trim().slice(0, 30)}" ${px.toFixed(1)} px`);
      const r = t.getBoundingClientRect();
      if (r.left < box.left - SLACK || r.right > box.right + SLACK || r.top < box.top - SLACK || r.bottom > box.bottom + SLACK)
        cut.push(`"${t.textContent.trim().slice(0, 30)}"`);
    }
    if (min < Infinity) svgMin[label] = min;
    if (small.length)
      problems.push(`${label}: ${small.length} text(s) under ${MIN_PX} px at ${box.width.toFixed(0)} px wide, e.g. ${small.slice(0, 3).join(", ")}`);
    if (cut.length) problems.push(`${label}: text cut off at the picture's edge: ${cut.slice(0, 3).join(", ")}`);
  };
  for (const svg of main.querySelectorAll("svg")) checkSvg(svg, "inline <svg>");
  const imgs = [...main.querySelectorAll("img")].filter((i) => /\.svg(\?|#|$)/.test(i.getAttribute("src") || ""));
  for (const img of main.querySelectorAll("img")) {
    img.loading = "eager";
    await img.decode().catch(() => {});
  }
  for (const img of imgs) {
    if (!img.checkVisibility()) continue; // e.g. a copy kept for a zoomed view
    const b = img.getBoundingClientRect();
    const src = img.getAttribute("src");
    if (!img.complete || !img.naturalWidth || b.width === 0) {
      problems.push(`${src}: the picture did not load or has no size`);
      continue;
    }
    const text = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    const holder = document.createElement("div");
    holder.style.cssText = `position:absolute;left:0;top:0;width:${b.width}px;height:${b.height}px;visibility:hidden;`;
    svg.setAttribute("width", b.width);
    svg.setAttribute("height", b.height);
    holder.appendChild(document.importNode(svg, true));
    document.body.appendChild(holder);
    checkSvg(holder.firstChild, src.replace(/^.*\//, ""));
    holder.remove();
  }
  return { problems, checked, svgTexts, svgMin, column: Math.round(col.width) };
}
