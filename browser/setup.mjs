// Shared by the browser tests: the upbook binary, a project made as a user
// would (init, release 1.0, an edit), and Chromium started the way CI
// starts it: headless, offline, with a fresh profile.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const here = new URL(".", import.meta.url).pathname;
export const repo = resolve(here, "..");
const target = process.env.CARGO_TARGET_DIR || join(repo, "target");
export const bin = process.env.UPBOOK_BIN || join(target, "debug", "upbook");

export function upbook(args, env = {}) {
  return execFileSync(bin, args, {
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A new project with release 1.0 and a draft that changed since. */
export function project() {
  const dir = mkdtempSync(join(tmpdir(), "upbook-browser-"));
  const root = join(dir, "acme");
  upbook(["init", root]);
  upbook(["release", root, "1.0"], { SOURCE_DATE_EPOCH: "1767225600" });
  const note = join(root, "content/notes/02-backup.md");
  writeFileSync(
    note,
    readFileSync(note, "utf8").replace(
      "1. Stop the Primary Domain Manager on",
      "1. Tell the messaging team that the upgrade starts.\n2. Stop the Primary Domain Manager on",
    ),
  );
  upbook(["build", root, "--format", "html"]);
  return { dir, root, book: join(root, "book") };
}

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Requests a page made beyond the file and the local server. */
export const remote = [];

/** Chromium with a fresh profile; pages may not reach the network: any
 * request beyond file:// and 127.0.0.1 is refused and recorded. */
export async function browser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "upbook-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: chromiumArgs,
    acceptDownloads: true,
    ...options,
  });
  await context.route(
    (url) => !["file:", "blob:", "data:"].includes(url.protocol) && url.hostname !== "127.0.0.1",
    (route) => {
      remote.push(route.request().url());
      return route.abort();
    },
  );
  return context;
}

/** Opens `url` and collects what the console and the page report. */
export async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // The live-reload stream is cut whenever the page reloads.
    if (!r.url().endsWith("/__upbook/events")) problems.push(`failed: ${r.url()}`);
  });
  page.on("request", (r) => {
    if (!/^(file|blob|data):|^http:\/\/127\.0\.0\.1[:/]/.test(r.url())) problems.push(`remote: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

/** `upbook serve` on a free port; resolves with its base URL once the
 * first build is served and written whole to `book/`: the search indexes
 * and single files follow the pages there once saves pause, and the
 * file:// tests read the same folder. */
export async function serve(root) {
  const server = await started(root);
  for (let i = 0; i < 200; i++) {
    try {
      const state = await (await fetch(`${server.base}/__upbook/state`)).json();
      if (state.build >= 1 && state.extras_pending === false) return server;
    } catch {
      // Not answering yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  server.child.kill();
  throw new Error("upbook serve did not finish its first build");
}

function started(root) {
  return new Promise((ok, fail) => {
    const child = spawn(bin, ["serve", root, "--port", "0", "--format", "html"], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/Serving (http:\/\/[^\s]+)\/draft\/index\.html/);
      if (m) ok({ child, base: m[1] });
    });
    child.on("exit", (code) => fail(new Error(`upbook serve exited with ${code}`)));
  });
}

/** Every HTML page a build wrote, relative to `book`. */
export function pages(book) {
  const out = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path, name);
      else if (entry.name.endsWith(".html")) out.push(name);
    }
  };
  walk(book, "");
  return out.sort();
}

import { readdirSync } from "node:fs";
