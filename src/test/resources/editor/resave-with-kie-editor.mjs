#!/usr/bin/env node
// Re-saves a DMN file through the real Apache KIE DMN editor, headless: opens it in
// @kie-tools/dmn-editor-standalone (or, with --classic, in the classic @kie-tools/kie-editors-standalone
// editor), waits for the diagram to render, makes no change (unless --edit-cell is given), calls
// getContent() and writes what the editor would save. See README.md beside this file.
//
// Usage (from a folder where `npm ci` was run with the package.json/package-lock.json beside this file):
//   node resave-with-kie-editor.mjs <input.dmn> <output.dmn> [--classic] [--edit-cell="D|OLD|NEW"] [--screenshot=<file.png>]
//
//   --classic            use the classic editor (saves DMN 1.2) instead of the new one (saves DMN 1.6);
//                        a model newer than DMN 1.3 is first rewritten to the DMN 1.2 namespaces (see below)
//   --edit-cell=D|OLD|NEW  (new editor only) before saving, make one real edit through the UI: open decision
//                        D's boxed expression and replace the text of the cell reading OLD with NEW
//   --screenshot=FILE    save a screenshot of the page before saving
// Environment: CHROMIUM (default /usr/bin/chromium), RESAVE_TIMEOUT_MS (default 180000), RESAVE_DEBUG=1
// (print the browser console).
//
// Needs Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium), or CHROMIUM=/path.
// Starts its own static HTTP server on 127.0.0.1 (random port); no other network access is needed.

import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0]));
const flagValue = (name) => args.find((a) => a.startsWith(name + "="))?.slice(name.length + 1);
const positional = args.filter((a) => !a.startsWith("--"));
const unknown = [...flags].filter((f) => !["--classic", "--edit-cell", "--screenshot"].includes(f));
if (unknown.length) {
  console.error("unknown option(s): " + unknown.join(" "));
  process.exit(2);
}
if (positional.length !== 2) {
  console.error('usage: node resave-with-kie-editor.mjs <input.dmn> <output.dmn> [--classic] [--edit-cell="D|OLD|NEW"] [--screenshot=file.png]');
  process.exit(2);
}
const [inputPath, outputPath] = positional.map((p) => path.resolve(p));
const classic = flags.has("--classic");
const editCell = flagValue("--edit-cell")?.split("|");
if (editCell && (editCell.length !== 3 || classic)) {
  console.error('--edit-cell="<decision name>|<old cell text>|<new cell text>" (new editor only)');
  process.exit(2);
}
const screenshot = flagValue("--screenshot");
const timeoutMs = Number(process.env.RESAVE_TIMEOUT_MS || 180000);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let inputXml = fs.readFileSync(inputPath, "utf8");

// The classic editor opens only DMN 1.2 and 1.3; a DMN 1.5 model fails with "Element
// [{https://www.omg.org/spec/DMN/20230324/MODEL/}definitions] could not be unmarshalled". For it, a newer model is first rewritten to the DMN 1.2 namespaces (MODEL, FEEL, DMNDI; DC and DI
// are the same in every version). That is only sound when the model uses nothing newer than DMN 1.2, which the
// caller must know; the script says what it rewrote.
const DMN_NS_DATES = { "20191111": "1.3", "20211108": "1.4", "20230324": "1.5", "20240513": "1.6" };
if (classic) {
  const re = /https?:\/\/www\.omg\.org\/spec\/DMN\/(20191111|20211108|20230324|20240513)\/(MODEL|FEEL|DMNDI)\//g;
  const found = new Set([...inputXml.matchAll(re)].map((m) => `DMN ${DMN_NS_DATES[m[1]]} ${m[2]}`));
  if (found.size) {
    inputXml = inputXml.replace(re, (_, __, kind) => `http://www.omg.org/spec/DMN/20180521/${kind}/`);
    console.error(`classic editor: rewrote namespaces ${[...found].join(", ")} to DMN 1.2 (20180521) before opening`);
  }
}

// ---------- static server ----------
let distDir, editorScript, globalName;
if (classic) {
  distDir = path.dirname(require.resolve("@kie-tools/kie-editors-standalone/package.json"));
  distDir = path.join(distDir, "dist");
  editorScript = "dmn/index.js";
  globalName = "DmnEditor";
} else {
  distDir = path.join(path.dirname(require.resolve("@kie-tools/dmn-editor-standalone/package.json")), "dist");
  editorScript = "index.js";
  globalName = "DmnEditor";
}
const editorVersion = require(path.join(path.dirname(distDir), "package.json")).version;

const page_html = `<!doctype html>
<html><head><meta charset="UTF-8"><title>resave</title>
<style>html,body{margin:0;height:100%} #container{height:100vh;width:100vw}</style>
<script src="/editor/${editorScript}"></script></head>
<body><div id="container"></div></body></html>`;

const mime = { ".js": "text/javascript", ".html": "text/html", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
  ".map": "application/json", ".wasm": "application/wasm" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/" || url.pathname === "/index.html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end(page_html);
  }
  if (url.pathname.startsWith("/editor/")) {
    const rel = decodeURIComponent(url.pathname.slice("/editor/".length));
    const file = path.join(distDir, rel);
    if (file.startsWith(distDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { "content-type": mime[path.extname(file)] || "application/octet-stream" });
      return fs.createReadStream(file).pipe(res);
    }
  }
  if (process.env.RESAVE_DEBUG) console.error("404", url.pathname);
  res.writeHead(404);
  res.end();
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---------- browser ----------
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "resave-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const cleanup = async () => {
  await context.close().catch(() => {});
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
};

try {
  const page = context.pages()[0] || (await context.newPage());
  const logs = [];
  const onMsg = (m) => logs.push(`[${m.type()}] ${m.text()}`);
  page.on("console", onMsg);
  page.on("pageerror", (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(origin + "/", { waitUntil: "load" });

  await page.evaluate(
    ({ xml, globalName, origin, classic, fileName }) => {
      const api = window[globalName];
      if (!api) throw new Error(`window.${globalName} not defined by the editor script`);
      window.__dirtyEvents = 0;
      const openArgs = {
        container: document.getElementById("container"),
        initialContent: Promise.resolve(xml),
        readOnly: false,
        origin,
        resources: new Map(),
        onError: () => { window.__openError = true; },
      };
      if (!classic) openArgs.initialFileNormalizedPosixPathRelativeToTheWorkspaceRoot = fileName;
      window.__editor = api.open(openArgs);
      window.__editor.subscribeToContentChanges(() => window.__dirtyEvents++);
    },
    { xml: inputXml, globalName, origin, classic, fileName: path.basename(inputPath) },
  );

  // Wait until the diagram rendered inside the editor's iframe.
  const nodeSelector = classic ? "canvas" : ".react-flow__node";
  const deadline = Date.now() + timeoutMs;
  let frame;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const n = await f.locator(nodeSelector).count().catch(() => 0);
      if (n > 0) { frame = f; break; }
    }
    if (frame) break;
    if (await page.evaluate(() => window.__openError === true)) {
      throw new Error("the editor could not open the model (onError)\n" + logs.filter((l) => /SEVERE|error|Error/.test(l)).join("\n"));
    }
    if (Date.now() > deadline) throw new Error("editor did not render within " + timeoutMs + " ms\n" + logs.join("\n"));
    await page.waitForTimeout(500);
  }
  // Let it settle: wait until the number of rendered nodes stops changing, then a little longer.
  let prev = -1;
  for (let i = 0; i < 60; i++) {
    const n = await frame.locator(nodeSelector).count();
    if (n === prev) break;
    prev = n;
    await page.waitForTimeout(1000);
  }
  await page.waitForTimeout(classic ? 5000 : 2000);
  const rendered = await frame.locator(nodeSelector).count();
  console.error(`editor ${classic ? "@kie-tools/kie-editors-standalone" : "@kie-tools/dmn-editor-standalone"}@${editorVersion}: rendered ${rendered} × ${nodeSelector}`);

  if (editCell) {
    // A real edit through the UI, as an analyst makes it: select the decision's node, press its "Edit"
    // button, double-click the boxed-expression cell whose text is OLD, replace it with NEW, press Enter.
    // Checked on decision-table annotation cells (plain text); FEEL cells use Monaco, whose auto-closing
    // quotes/brackets may change what is typed.
    const [decisionName, oldText, newText] = editCell;
    const node = frame.locator(".react-flow__node", { has: frame.locator(`[data-nodelabel="${decisionName.replace(/"/g, '\\"')}"]`) }).first();
    if ((await node.count()) === 0) throw new Error(`no rendered node labelled ${decisionName}`);
    await node.click();
    await page.waitForTimeout(500);
    await node.getByText("Edit", { exact: true }).click();
    const cell = frame.locator(".editable-cell", { has: frame.getByText(oldText, { exact: true }) }).first();
    await cell.waitFor({ timeout: 30000 });
    await cell.dblclick();
    await page.waitForTimeout(1000);
    await page.keyboard.press("Control+A");
    await page.keyboard.type(newText);
    await page.keyboard.press("Enter");
    await page.waitForTimeout(1500);
    const events = await page.evaluate(() => window.__dirtyEvents);
    if (events < 1) throw new Error("the edit did not reach the model (no content-change event)");
    console.error(`edit: ${decisionName}: cell "${oldText}" -> "${newText}" (${events} content-change event(s))`);
  }

  if (screenshot) await page.screenshot({ path: screenshot });
  const content = await page.evaluate(() => Promise.resolve(window.__editor.getContent()));
  if (typeof content !== "string" || !content.includes("definitions")) {
    throw new Error("getContent() returned no DMN:\n" + String(content).slice(0, 500) + "\n" + logs.join("\n"));
  }
  fs.mkdirSync(path.dirname(outputPath), { recursive: true });
  fs.writeFileSync(outputPath, content);
  const ns = content.match(/xmlns(?::\w+)?="(https?:\/\/www\.omg\.org\/spec\/DMN\/\d+\/MODEL\/)"/);
  console.error(`wrote ${outputPath} (${content.length} chars, DMN namespace ${ns ? ns[1] : "?"})`);
  if (process.env.RESAVE_DEBUG) console.error(logs.join("\n"));
} finally {
  await cleanup();
}
