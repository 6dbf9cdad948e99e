// The customer's review: on released version 1.0 opened from disk,
// request a change on a section, download the requests, and find the
// request in the next build's report once the consultant imports it.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project, serve, upbook } from "./setup.mjs";

let made, context;

before(async () => {
  made = project();
  context = await browser();
});
after(async () => context?.close());

test("a request saved on the page is downloaded, imported and reported", async () => {
  const { page, problems } = await open(context, `file://${join(made.book, "v1.0/index.html")}`);
  const section = page.locator("#measure-the-baseline");
  await section.getByRole("button", { name: "Request a change" }).click();
  await section.getByRole("radio", { name: "Clarification" }).check();
  await section.getByLabel("Request", { exact: true }).fill('Is the "baseline" kept after the upgrade?');
  await section.getByLabel("Your name", { exact: true }).fill("Dana Weber");
  const before = await page.evaluate(() => window.scrollY);
  await section.getByRole("button", { name: "Save request" }).click();
  // The reader stays where they were; the section and the top bar say
  // what is saved and not yet sent.
  assert.equal(await page.evaluate(() => window.scrollY), before);
  assert.match(await section.locator(".request-saved").innerText(), /^Saved\. 1 request not yet sent/);
  assert.equal(await page.locator(".topbar .requests-count").innerText(), "1 request not yet sent");

  // Kept in the browser: listed, and still there after a reload (once
  // Chromium has committed the storage, which it does asynchronously).
  await page.waitForTimeout(250);
  await page.reload();
  const panel = page.locator("#your-requests");
  assert.match(await panel.innerText(), /Clarification on Measure the baseline/);
  assert.match(await panel.innerText(), /Is the "baseline" kept after the upgrade\?/);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("button", { name: "Download requests" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "change-requests-1.0.yaml");
  const file = join(made.dir, "change-requests-1.0.yaml");
  copyFileSync(await download.path(), file);
  const saved = readFileSync(file, "utf8");
  assert.match(saved, /section: "measure-the-baseline"/);
  // The copy it was raised on, and the steps as that copy numbers them.
  assert.match(saved, /copy: "Staging"/);
  assert.match(saved, /steps: "8–9"/);
  assert.doesNotMatch(saved, /upbook/);

  upbook(["requests", "import", made.root, file]);
  upbook(["build", made.root, "--format", "html"]);
  const report = readFileSync(join(made.book, "draft/report.html"), "utf8");
  assert.match(report, /CR-001/);
  assert.match(report, /Is the &quot;baseline&quot; kept after the upgrade\?/);
  assert.deepEqual(problems, []);
});

test("the draft offers no requests; without scripts, an e-mail link", async () => {
  const { page } = await open(context, `file://${join(made.book, "draft/index.html")}`);
  assert.equal(await page.getByRole("button", { name: "Request a change" }).count(), 0);
  const noScript = await browser({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`file://${join(made.book, "v1.0/index.html")}`);
  const mail = plain.locator("#measure-the-baseline .request-mail");
  assert.match(await mail.getAttribute("href"), /^mailto:jonas\.brandt@platinum\.example\?subject=/);
  assert.equal(await plain.getByRole("button", { name: "Request a change" }).count(), 0);
  await noScript.close();
});

test("served, a released version takes requests too", async () => {
  const server = await serve(made.root);
  try {
    const { page, problems } = await open(context, `${server.base}/v1.0/index.html`);
    const section = page.locator("#measure-the-baseline");
    await section.getByRole("button", { name: "Request a change" }).click();
    await section.getByLabel("Request", { exact: true }).fill("Served request.");
    await section.getByLabel("Your name", { exact: true }).fill("Piotr Nowak");
    await section.getByRole("button", { name: "Save request" }).click();
    assert.match(await page.locator("#your-requests").innerText(), /Served request\./);
    assert.deepEqual(problems, []);
  } finally {
    server.child.kill();
  }
});
