// The playbook printed from Chromium, as a customer prints the HTML copy
// to run Production from paper: no code line is clipped; a long one wraps
// with its continuation marked, and the screen keeps scrolling instead.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project, upbook } from "./setup.mjs";

const LONG =
  "ssh kfl-prd-br03 sudo tar -xzf /mnt/backup/cxm/cxm-10.0.3-kfl-prd-br03-2027-01-12T0400.tar.gz --strip-components=1 -C /srv/cxm";
let made, context;

before(async () => {
  made = project();
  const note = join(made.root, "content/notes/02-backup.md");
  writeFileSync(note, `${readFileSync(note, "utf8")}\n\`\`\`bash\n${LONG}\necho ${"x".repeat(160)}\n\`\`\`\n`);
  upbook(["build", made.root, "--format", "html"]);
  context = await browser();
});
after(async () => context && (await context.close()));

/** Every code line's box against its block's, in the current media. */
function clipped(page) {
  return page.$$eval("pre.code", (blocks) =>
    blocks.flatMap((pre) => {
      const box = pre.getBoundingClientRect();
      return [...pre.querySelectorAll(".line")]
        .filter((line) => [...line.getClientRects()].some((r) => r.right > box.right + 0.5))
        .map((line) => line.textContent.slice(0, 40));
    }),
  );
}

test("printed, no code line is clipped and a long one wraps under a rule", async () => {
  for (const name of ["draft/index.html", "draft/production.html"]) {
    const { page } = await open(context, `file://${join(made.book, name)}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: "print" });
    assert.deepEqual(await clipped(page), [], name);
    const wrapped = await page.$$eval("pre.code .line > .text", (lines) =>
      lines
        .filter((l) => l.textContent.includes("2027-01-12T0400"))
        .map((l) => ({
          rows: l.getClientRects().length,
          height: l.getBoundingClientRect().height,
          lineHeight: parseFloat(getComputedStyle(l).lineHeight),
          rule: getComputedStyle(l, "::before").borderLeftStyle,
        })),
    );
    assert.equal(wrapped.length, 1, name);
    assert.ok(wrapped[0].height > wrapped[0].lineHeight * 1.5, `${name}: the long line takes two rows`);
    assert.equal(wrapped[0].rule, "solid", `${name}: the continuation is marked`);
    // What the reader copies is the command, whole, on one line.
    const text = await page.$$eval("pre.code", (blocks) => blocks.map((b) => b.textContent).join("\n"));
    assert.ok(text.includes(LONG), name);
    // Printed to PDF, the whole command is on the paper.
    const pdf = join(made.dir, "printed.pdf");
    writeFileSync(pdf, await page.pdf({ format: "A4" }));
    const printed = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    assert.ok(printed.includes(LONG.replace(/\s+/g, "")), `${name}: printed whole`);
    await page.close();
  }
});

test("on screen, a long code line scrolls instead of wrapping", async () => {
  const { page } = await open(context, `file://${join(made.book, "draft/index.html")}`);
  await page.setViewportSize({ width: 1280, height: 900 });
  const scrolls = await page.$$eval("pre.code", (blocks) =>
    blocks.filter((b) => b.textContent.includes("2027-01-12T0400")).map((b) => b.scrollWidth > b.clientWidth),
  );
  assert.deepEqual(scrolls, [true]);
  await page.close();
});
