// The reader's side of issue 27: search finds what a reader types, every
// step's box can be ticked at any width, the top bar fits a phone, code
// copies exactly, the contents mark where the reader is.
import assert from "node:assert/strict";
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

const production = () => `file://${join(made.book, "draft/production.html")}`;

async function results(page, query) {
  await page.getByRole("combobox", { name: "Search this version" }).fill(query);
  return page.getByRole("option").allInnerTexts();
}

test("search finds hyphenated words, phrases, report parts and a typo", async () => {
  const { page, problems } = await open(context, production());
  const onCall = await results(page, "on-call");
  assert.ok(onCall.length > 0, "on-call finds nothing");
  assert.ok(onCall.some((r) => /on-call/i.test(r)), onCall.join("\n"));
  const deadline = await results(page, "deadline");
  assert.ok(deadline.some((r) => /Schedule · Engagement report/.test(r)), deadline.join("\n"));
  const noReturn = await results(page, '"Point of no return"');
  assert.match(noReturn[0] ?? "", /^Step \d+ ·/, noReturn.join("\n"));
  assert.match(noReturn[0], /point of no return/i);
  // Unquoted, the phrase still leads.
  assert.match((await results(page, "point of no return"))[0] ?? "", /^Step \d+ ·/);
  const typo = await results(page, "brokr");
  assert.ok(typo.length > 0, "brokr finds nothing");
  assert.match(typo[0], /broker/i);
  // Step text ranks first.
  assert.match((await results(page, "systemctl stop"))[0], /^Step /);
  assert.deepEqual(problems, []);
});

// Where each step's box is, and whether a click there reaches it.
function boxesReachable() {
  return Array.from(document.querySelectorAll(".step-check input")).map((box) => {
    box.scrollIntoView({ block: "center" });
    const r = box.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { step: box.getAttribute("data-step"), ok: hit === box || hit === box.parentNode };
  }).filter((b) => !b.ok).map((b) => b.step);
}

for (const width of [320, 375, 414, 1280, 1920]) {
  test(`every step's box can be ticked at ${width} px`, async () => {
    const { page, problems } = await open(context, production());
    await page.setViewportSize({ width, height: 800 });
    assert.deepEqual(await page.evaluate(boxesReachable), [], "boxes covered by something else");
    // A one-line step (the shortest of the one-paragraph steps), clicked
    // where its box is drawn, is ticked.
    const label = await page.evaluate(() => {
      const height = (s) => s.querySelector(".step-body").getBoundingClientRect().height;
      const short = Array.from(document.querySelectorAll("li.step"))
        .filter((s) => s.querySelector(".step-body").children.length === 1)
        .sort((a, b) => height(a) - height(b))[0];
      return short.querySelector(".step-check input").getAttribute("data-step");
    });
    const box = page.getByRole("checkbox", { name: `Step ${label} done` });
    await box.scrollIntoViewIfNeeded();
    const r = await box.boundingBox();
    await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
    assert.equal(await box.isChecked(), true, `step ${label} not ticked at ${width} px`);
    await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
    assert.equal(await box.isChecked(), false);
    assert.deepEqual(problems, []);
  });
}

for (const width of [320, 375, 414]) {
  test(`the top bar and steps fit a phone at ${width} px`, async () => {
    const { page } = await open(context, production());
    await page.setViewportSize({ width, height: 800 });
    const fit = await page.evaluate(() => {
      const bar = document.querySelector(".topbar").getBoundingClientRect();
      const search = document.getElementById("search-box").getBoundingClientRect();
      const links = Array.from(document.querySelectorAll(".pages a")).map((a) => a.getBoundingClientRect().top);
      const step = document.querySelector("li.step");
      const body = step.querySelector(".step-body").getBoundingClientRect();
      return {
        height: bar.height,
        searchInside: search.left >= 0 && search.right <= window.innerWidth && search.width >= 150,
        linkRows: new Set(links.map(Math.round)).size,
        textShare: body.width / step.getBoundingClientRect().width,
        scrolls: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    assert.ok(fit.searchInside, "the search box is cut off");
    assert.equal(fit.linkRows, 1, "the page links stack");
    assert.ok(fit.height < 140, `the top bar is ${fit.height} px tall`);
    assert.ok(fit.textShare > 0.9, `step text has ${fit.textShare} of the width`);
    assert.equal(fit.scrolls, false, "the page scrolls sideways");
  });
}

async function copied(page, pre) {
  await page.evaluate(() => {
    window.__written = [];
    navigator.clipboard.writeText = (t) => { window.__written.push(t); return Promise.resolve(); };
  });
  await pre.locator("xpath=..").getByRole("button", { name: "Copy this code" }).click();
  return page.evaluate(() => window.__written);
}

test("a code block's copy button copies exactly the code (file://)", async () => {
  const { page, problems } = await open(context, production());
  const pre = page.locator("pre.code", { hasText: "--accept-license" }).first();
  const written = await copied(page, pre);
  assert.deepEqual(written, [
    "ssh kfl-prd-dm01 sudo /srv/cxm-11.2-installer/upgrade.sh \\\n    --install-dir /srv/cxm --accept-license --unattended",
  ]);
  assert.equal(await page.locator("pre.code").count(), await page.getByRole("button", { name: "Copy this code" }).count());
  assert.deepEqual(problems, []);
});

test("the copy button writes to the clipboard when served", async () => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  const { page, problems } = await open(context, `${server.base}/draft/production.html`);
  const pre = page.locator("pre.code", { hasText: "systemctl start cxm-domain-manager" }).first();
  await pre.locator("xpath=..").getByRole("button", { name: "Copy this code" }).click();
  await page.getByRole("button", { name: "Copy this code" }).first().waitFor();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(
    text,
    "ssh kfl-prd-dm01 sudo systemctl start cxm-domain-manager\nssh kfl-prd-dm01 sudo journalctl -u cxm-domain-manager -f",
  );
  assert.deepEqual(problems, []);
});

test("the contents mark the section in view and list a lone note once", async () => {
  const { page, problems } = await open(context, production());
  await page.setViewportSize({ width: 1280, height: 800 });
  const sidebar = page.locator("#sidebar");
  assert.equal(await sidebar.getByRole("link", { name: "Prepare the environment", exact: true }).count(), 1);
  await page.evaluate(() => document.getElementById("upgrade-the-message-brokers").scrollIntoView());
  await page.waitForFunction(() =>
    document.querySelector("#sidebar a[aria-current='location']")?.getAttribute("href") === "#upgrade-the-message-brokers");
  await page.evaluate(() => document.getElementById("scope").scrollIntoView());
  await page.waitForFunction(() =>
    document.querySelector("#sidebar a[aria-current='location']")?.getAttribute("href") === "#scope");
  assert.equal(await sidebar.locator("a[aria-current='location']").count(), 1);
  assert.deepEqual(problems, []);
});

test("every page has the icon, served without a miss", async () => {
  const { page, problems } = await open(context, `${server.base}/draft/report.html`);
  const href = await page.locator("link[rel=icon]").evaluate((l) => l.href);
  const answer = await page.request.get(href);
  assert.equal(answer.status(), 200);
  assert.match(await answer.text(), /^<svg/);
  assert.deepEqual(problems, []);
});
