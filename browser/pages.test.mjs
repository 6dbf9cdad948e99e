// Every page a build writes, opened from disk as a customer opens an
// e-mailed or shared copy: no console errors, nothing serious for axe in
// light and dark, navigation hidden in print, valid HTML, and every link
// and anchor pointing somewhere that exists.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, pages, project } from "./setup.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
let made, context;

before(async () => {
  made = project();
  // axe is injected into pages whose policy allows only their own scripts.
  context = await browser({ bypassCSP: true });
});
after(async () => context && (await context.close()));

test("every page opens from file:// without a console message", async () => {
  for (const name of pages(made.book)) {
    const { page, problems } = await open(context, `file://${join(made.book, name)}`);
    assert.deepEqual(problems, [], name);
    await page.close();
  }
});

test("axe finds nothing serious, in light and dark", async () => {
  const found = [];
  for (const scheme of ["light", "dark"]) {
    for (const name of pages(made.book)) {
      const { page } = await open(context, `file://${join(made.book, name)}`);
      await page.emulateMedia({ colorScheme: scheme });
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { resultTypes: ["violations"] }),
      );
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          found.push(`${scheme} ${name}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes[0].target.join(" ")}`);
        }
      }
      await page.close();
    }
  }
  assert.deepEqual(found, []);
});

test("print hides the navigation and keeps the steps", async () => {
  const { page } = await open(context, `file://${join(made.book, "draft/production.html")}`);
  await page.emulateMedia({ media: "print" });
  for (const selector of [".topbar", ".sidebar", ".execution-log .actions"]) {
    const shown = await page.$eval(selector, (e) => getComputedStyle(e).display);
    assert.equal(shown, "none", selector);
  }
  // A step is a grid row of number, box and text (its box stays inside it).
  assert.equal(await page.$eval("#step-1", (e) => getComputedStyle(e).display), "grid");
  await page.close();
});

test("every page is valid HTML for the Nu checker", () => {
  const jar = join(dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
  const files = pages(made.book).map((p) => join(made.book, p));
  let report;
  try {
    execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    report = { messages: [] };
  } catch (e) {
    report = JSON.parse(e.stderr.toString() || e.stdout.toString());
  }
  const errors = report.messages
    .filter((m) => m.type === "error")
    .map((m) => `${m.url.replace(`file:${made.book}/`, "")}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
});

test("every internal link and anchor resolves", () => {
  const ids = new Map();
  const idsOf = (file) => {
    if (!ids.has(file)) {
      const html = readFileSync(file, "utf8");
      ids.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    }
    return ids.get(file);
  };
  const broken = [];
  for (const name of pages(made.book)) {
    const file = join(made.book, name);
    const html = readFileSync(file, "utf8");
    for (const [, attr, raw] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
      const url = unescape(raw);
      if (/^(https?:|mailto:|data:)/.test(url)) continue;
      const [path, fragment] = url.split("#");
      const target = path ? normalize(join(dirname(file), decodeURIComponent(path))) : file;
      if (!existsSync(target)) {
        broken.push(`${name}: ${attr}="${url}" (no file)`);
      } else if (fragment && target.endsWith(".html") && !idsOf(target).has(decodeURIComponent(fragment))) {
        broken.push(`${name}: ${attr}="${url}" (no #${fragment})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

/** Attribute text as the browser reads it. */
function unescape(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
