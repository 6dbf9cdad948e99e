// The customer's run of Production: tick steps, reload, find them still
// ticked and in the execution log, save the log; from disk and served.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project, serve } from "./setup.mjs";

let made, context, server;

before(async () => {
  made = project();
  context = await browser();
  server = await serve(made.root);
});
after(async () => {
  server?.child.kill();
  await context?.close();
});

async function tickAndReload(url) {
  const { page, problems } = await open(context, url);
  const box = page.getByRole("checkbox", { name: "Step 12 done" });
  await box.check();
  await page.getByRole("checkbox", { name: "Step B2 done" }).check();
  // Chromium commits storage asynchronously; a reload at once can race it.
  await page.waitForTimeout(250);
  await page.reload();
  assert.equal(await page.getByRole("checkbox", { name: "Step 12 done" }).isChecked(), true);
  assert.equal(await page.getByRole("checkbox", { name: "Step 13 done" }).isChecked(), false);
  const log = page.locator("#execution-log");
  assert.equal(await log.isVisible(), true);
  const rows = await log.locator("tbody tr").allInnerTexts();
  assert.equal(rows.length, 2, rows.join("\n"));
  assert.match(rows[0], /^Step 12\tBack up the configuration\t/);
  assert.match(rows[1], /^Step B2\tRestore version 10\.0\.3\t/);
  return { page, problems };
}

test("ticked steps survive a reload and fill the execution log (file://)", async () => {
  const url = `file://${join(made.book, "draft/production.html")}`;
  const { page, problems } = await tickAndReload(url);
  // The CSV is the customer's record.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Save as CSV" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "execution-log-draft-production.csv");
  const csv = readFileSync(await download.path(), "utf8").split("\r\n");
  assert.equal(csv[0], "step,section,ticked_at");
  assert.match(csv[1], /^"12","Back up the configuration","\d{4}-\d\d-\d\dT/);
  // Another copy of the same version starts clean.
  const staging = await context.newPage();
  await staging.goto(`file://${join(made.book, "draft/index.html")}`);
  assert.equal(await staging.getByRole("checkbox", { name: "Step 12 done" }).isChecked(), false);
  assert.deepEqual(problems, []);
});

test("the checklist works served too", async () => {
  const { problems } = await tickAndReload(`${server.base}/draft/production.html`);
  assert.deepEqual(problems, []);
});
