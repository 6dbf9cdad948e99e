// The single file, as a customer receives it by e-mail: copied alone into
// an empty folder and opened offline. Styles, scripts, the search index
// and the images are inside it; the checklist and the request form work.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project } from "./setup.mjs";

let made, context, alone;

before(async () => {
  made = project();
  context = await browser();
  alone = mkdtempSync(join(tmpdir(), "upbook-mail-"));
  copyFileSync(join(made.book, "draft/production-single.html"), join(alone, "production-single.html"));
  copyFileSync(join(made.book, "v1.0/playbook-single.html"), join(alone, "playbook-single.html"));
});
after(async () => context?.close());

test("the single file works on its own", async () => {
  const { page, problems } = await open(context, `file://${join(alone, "production-single.html")}`);
  // Styled (the stylesheet is inside), the screenshot shows, search works.
  const background = await page.$eval(".step-number", (e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(background, "rgba(0, 0, 0, 0)");
  const image = page.locator("img[alt='The About dialog showing the new version']");
  await image.scrollIntoViewIfNeeded();
  await page.waitForFunction((e) => e.complete && e.naturalWidth > 0, await image.elementHandle());
  await page.getByRole("combobox", { name: "Search this version" }).fill("stop broker kfl-prd-br03");
  assert.match(await page.getByRole("option").first().innerText(), /^Step \d+/);
  // The checklist keeps its state.
  await page.getByRole("checkbox", { name: "Step 3 done" }).check();
  // Chromium commits storage asynchronously; a reload at once can race it.
  await page.waitForTimeout(250);
  await page.reload();
  assert.equal(await page.getByRole("checkbox", { name: "Step 3 done" }).isChecked(), true);
  assert.deepEqual(problems, []);
});

test("a released version's single file takes change requests", async () => {
  const { page, problems } = await open(context, `file://${join(alone, "playbook-single.html")}`);
  const section = page.locator("#measure-the-baseline");
  await section.getByRole("button", { name: "Request a change" }).click();
  await section.getByLabel("Request", { exact: true }).fill("Keep the baseline on the share.");
  await section.getByLabel("Your name", { exact: true }).fill("Dana Weber");
  await section.getByRole("button", { name: "Save request" }).click();
  assert.match(await page.locator("#your-requests").innerText(), /Keep the baseline on the share\./);
  assert.deepEqual(problems, []);
});
