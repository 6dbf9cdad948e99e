// The customer's copy is about their run, and every link keeps them in
// it: the top bar, the report, search, the version switcher and the
// notice on a superseded version, from disk and served; and the single
// file to e-mail, opened alone, has no link that goes nowhere.
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, open, project, repo, serve, upbook } from "./setup.mjs";

let made, context, server;

before(async () => {
  made = project();
  upbook(["release", made.root, "1.1", "--final", "--accepted-by", "Dana Weber"]);
  upbook(["build", made.root, "--format", "html"]);
  context = await browser();
});
after(async () => {
  server?.child.kill();
  await context?.close();
});

const url = (path) => `file://${join(made.book, path)}`;

async function openVersions(page) {
  await page.locator(".switcher summary").click();
  return page.locator(".version-menu");
}

for (const where of ["file", "served"]) {
  test(`from ${where}: the top bar and the report keep the reader in Production's copy`, async () => {
    let base = `${url("")}/`;
    if (where === "served") {
      server ??= await serve(made.root);
      base = `${server.base}/`;
    }
    const { page, problems } = await open(context, `${base}v1.1/production.html`);
    const playbook = page.locator(".pages").getByRole("link", { name: "Playbook" });
    assert.equal(await playbook.getAttribute("aria-current"), "page");
    await playbook.click();
    assert.match(page.url(), /\/v1\.1\/production\.html$/);
    await page.locator(".pages").getByRole("link", { name: "Report" }).click();
    assert.match(page.url(), /\/v1\.1\/report\.html$/);
    // Back to the copy the reader came from, not the staging one.
    await page.locator(".pages").getByRole("link", { name: "Playbook" }).click();
    assert.match(page.url(), /\/v1\.1\/production\.html$/);
    // Staging's copy, then the report: back to staging.
    await page.locator("nav.copies").getByRole("link", { name: "Staging", exact: true }).click();
    assert.match(page.url(), /\/v1\.1\/index\.html$/);
    await page.locator(".pages").getByRole("link", { name: "Report" }).click();
    await page.locator(".pages").getByRole("link", { name: "Playbook" }).click();
    assert.match(page.url(), /\/v1\.1\/index\.html$/);
    assert.deepEqual(problems, []);
  });
}

test("a search from the report opens the result in the reader's copy", async () => {
  const { page, problems } = await open(context, url("v1.1/production.html"));
  await page.goto(url("v1.1/report.html"));
  // A step only Production's copy has, numbered as it is there.
  const box = page.getByRole("combobox", { name: "Search this version" });
  await page.waitForFunction(() => JSON.stringify(window.UPBOOK_SEARCH).includes("kfl-prd-br03"));
  await box.fill("stop broker kfl-prd-br03");
  const first = await page.getByRole("option").first().innerText();
  const step = first.match(/^Step (\d+)/)[1];
  await box.press("Enter");
  await page.waitForURL(/production\.html#/);
  assert.match(page.url(), new RegExp(`/v1\\.1/production\\.html#step-${step}$`));
  assert.match(await page.locator(`#step-${step}`).innerText(), /kfl-prd-br03/);
  assert.deepEqual(problems, []);
});

test("the version switcher keeps the copy and the place in it", async () => {
  const { page, problems } = await open(context, url("v1.1/production.html#measure-the-baseline"));
  const menu = await openVersions(page);
  assert.equal(await menu.getByRole("link", { name: "1.1 (final)" }).getAttribute("aria-current"), "page");
  await menu.getByRole("link", { name: "1.0", exact: true }).click();
  await page.waitForURL(/v1\.0/);
  assert.match(page.url(), /\/v1\.0\/production\.html#measure-the-baseline$/);
  // And to the draft, from the report: the draft's report.
  await page.goto(url("v1.0/report.html"));
  await (await openVersions(page)).getByRole("link", { name: "Draft" }).click();
  assert.match(page.url(), /\/draft\/report\.html$/);
  assert.deepEqual(problems, []);
});

test("a superseded version says so, linked to the same copy in the final one", async () => {
  const { page, problems } = await open(context, url("v1.0/production.html#measure-the-baseline"));
  const note = page.getByRole("note").filter({ hasText: "Superseded" });
  assert.match(await note.innerText(), /^Superseded by 1\.1 \(final\)/);
  await note.getByRole("link", { name: "1.1 (final)" }).click();
  await page.waitForURL(/v1\.1/);
  assert.match(page.url(), /\/v1\.1\/production\.html#measure-the-baseline$/);
  assert.equal(await page.getByRole("note").filter({ hasText: "Superseded" }).count(), 0);
  for (const other of ["v1.0/report.html", "v1.0/index.html"]) {
    await page.goto(url(other));
    assert.equal(await page.getByRole("note").filter({ hasText: "Superseded by 1.1 (final)" }).count(), 1, other);
  }
  await page.goto(url("draft/production.html"));
  assert.equal(await page.getByRole("note").filter({ hasText: "Superseded" }).count(), 0);
  assert.deepEqual(problems, []);
});

test("the versions page lists each version's outputs, the draft apart", async () => {
  const { page, problems } = await open(context, url("index.html"));
  const headings = await page.getByRole("heading").allInnerTexts();
  const at = (t) => headings.findIndex((h) => h.startsWith(t));
  assert.ok(at("Version 1.1") < at("Version 1.0") && at("Version 1.0") < at("Working draft"), headings.join(" | "));
  assert.doesNotMatch(await page.locator("footer").innerText(), /Draft/);
  await page.locator("li.version.final").getByRole("link", { name: "Production" }).click();
  assert.match(page.url(), /\/v1\.1\/production\.html$/);
  assert.deepEqual(problems, []);
});

test("every link in a single file opened alone goes somewhere", async () => {
  const alone = mkdtempSync(join(tmpdir(), "upbook-alone-"));
  for (const name of ["production-single.html", "playbook-single.html"]) {
    copyFileSync(join(made.book, "v1.1", name), join(alone, name));
    const { page, problems } = await open(context, `file://${join(alone, name)}`);
    const hrefs = await page.$$eval("a[href]", (links) => links.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 20, `${name}: only ${hrefs.length} links`);
    for (const href of hrefs) {
      if (/^(https?:|mailto:)/.test(href)) continue;
      assert.match(href, /^#/, `${name} links ${href}`);
      if (href.length > 1) {
        const id = decodeURIComponent(href.slice(1));
        assert.ok(await page.evaluate((i) => !!document.getElementById(i), id), `${name}: no ${href}`);
      }
    }
    // The report and the other versions are named, not linked.
    const report = page.locator(".pages a", { hasText: "Report" });
    assert.equal(await report.getAttribute("href"), null);
    // A search for a part of the report offers nothing that goes nowhere.
    await page.getByRole("combobox", { name: "Search this version" }).fill("contacts");
    const options = await page.getByRole("option").allInnerTexts();
    assert.ok(options.every((o) => !/Engagement report/.test(o)), options.join(" | "));
    assert.deepEqual(problems, []);
  }
});

test("a release whose theme predates the notice still says it is superseded", async () => {
  // The repository's example: its release 1.0 was frozen with an
  // earlier theme, which knows nothing of notices or the reader's copy.
  const dir = mkdtempSync(join(tmpdir(), "upbook-old-"));
  for (const part of ["book.toml", "content", "releases"]) {
    cpSync(join(repo, part), join(dir, part), { recursive: true });
  }
  upbook(["release", dir, "1.1", "--final", "--accepted-by", "Dana Weber", "--accept-open"]);
  upbook(["build", dir, "--format", "html"]);
  const { page, problems } = await open(context, `file://${join(dir, "book/v1.0/production.html")}`);
  const note = page.getByRole("note").filter({ hasText: "Superseded" });
  assert.match(await note.innerText(), /^Superseded by 1\.1 \(final\)/);
  assert.equal(await note.getByRole("link").getAttribute("href"), "../v1.1/production.html");
  // Its top bar's "Playbook" is this copy, though its bytes say index.html.
  assert.equal(await page.locator(".pages a[aria-current=page]").getAttribute("href"), "production.html");
  assert.deepEqual(problems, []);
});
