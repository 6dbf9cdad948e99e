// Search, offline and from disk: `/` focuses the box, every word typed
// must match, and a result jumps to its step or section.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project } from "./setup.mjs";

let made, context;

before(async () => {
  made = project();
  context = await browser();
});
after(async () => context?.close());

test("search finds a step by its words and jumps to it", async () => {
  const { page, problems } = await open(context, `file://${join(made.book, "draft/production.html")}`);
  await page.keyboard.press("/");
  const box = page.getByRole("combobox", { name: "Search this version" });
  assert.equal(await box.evaluate((e) => e === document.activeElement), true);
  await box.fill("stop broker kfl-prd-br03");
  const first = page.getByRole("option").first();
  assert.match(await first.innerText(), /^Step \d+ · Upgrade the message brokers/);
  const step = (await first.innerText()).match(/^Step (\d+)/)[1];
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`#step-${step}$`));
  assert.match(await page.locator(`#step-${step}`).innerText(), /Stop the broker on kfl-prd-br03/);
  // Nothing matches: said so.
  await box.fill("zebra crossing");
  assert.equal(await page.getByText("Nothing found").isVisible(), true);
  assert.deepEqual(problems, []);
});

test("the report searches the playbook and opens it at the result", async () => {
  const { page } = await open(context, `file://${join(made.book, "draft/report.html")}`);
  await page.getByRole("combobox", { name: "Search this version" }).fill("measure the baseline");
  await page.keyboard.press("Enter");
  await page.waitForURL(/draft\/index\.html#measure-the-baseline$/);
});

test("the example's index stays small", () => {
  for (const copy of ["index", "production"]) {
    const size = statSync(join(made.book, `draft/${copy}.search.js`)).size;
    assert.ok(size < 100_000, `${copy}.search.js is ${size} bytes`);
  }
});
