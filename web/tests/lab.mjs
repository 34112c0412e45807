// Shared helpers of the browser tests (node --test web/tests/): serve the
// static site on 127.0.0.1, launch Debian's Chromium through playwright-core
// (WebGL 2 on SwiftShader), open the lab and watch what the page
// does: console errors, page errors, and every request (none may leave the
// origin).
//
// Environment: MMLAB_SITE (default build/web/site), MMLAB_CLI (the native
// mmlab; default build/debug/cli/mmlab, else build/release/cli/mmlab),
// CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { after, before } from 'node:test';

import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const testsDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(testsDir, '../..');
export const siteDir = process.env.MMLAB_SITE || path.join(repoRoot, 'build/web/site');
export const artifactsDir = path.join(testsDir, 'artifacts');

export function cliPath() {
  if (process.env.MMLAB_CLI) return process.env.MMLAB_CLI;
  for (const p of ['build/debug/cli/mmlab', 'build/release/cli/mmlab']) {
    const full = path.join(repoRoot, p);
    if (existsSync(full)) return full;
  }
  return path.join(repoRoot, 'build/debug/cli/mmlab');
}

// What the native mmlab prints for a script with --json: one object per
// command. Its exit status 1 (some command failed, often on purpose) is not
// an error here.
export function nativeJson(script) {
  let stdout;
  try {
    stdout = execFileSync(cliPath(), ['--json', '-c', script],
                          { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    stdout = e.stdout;
  }
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
};

// Serves `root` on 127.0.0.1 at a free port. Returns {url, close()}.
export async function serveSite(root = siteDir) {
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html not found: build the web preset first ` +
                    '(cmake --preset web && cmake --build --preset web)');
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The flags that give WebGL 2 on SwiftShader, headless
// (--disable-software-rasterizer or --use-gl=swiftshader would break it).
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// Opens the lab in a new context and waits for mmlab.ready. Returns
// {context, page, problems, readyMs}: `problems` collects console errors and
// warnings, page errors, failed requests and requests to other origins.
// The first-visit tour is off (the stored setting mmlab.tour = 'off', set
// before every page of the context loads) unless `tour` is true; with
// `storageState` (a context's storageState()) the new context starts with
// that storage, as a second visit of the same browser would.
export async function openLab(browser, url,
                              { width = 1280, height = 800, scale = 1, tour = false,
                                storageState = undefined } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: scale,
    storageState,
  });
  if (!tour) {
    await context.addInitScript(() => {
      try { window.localStorage.setItem('mmlab.tour', 'off'); } catch (e) { /* no storage */ }
    });
  }
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    // Chromium's own note when a screenshot reads the WebGL canvas back.
    if (/GL Driver Message \(OpenGL, Performance/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(
    `request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('request', (req) => requests.push(req.url()));
  // Belt and braces: anything bound elsewhere is refused, and recorded.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('data:') || new URL(u).origin === origin) return route.continue();
    problems.push(`request left the origin: ${u}`);
    return route.abort();
  });
  const start = Date.now();
  await page.goto(url);
  await page.evaluate(() => window.mmlab.ready);
  const readyMs = Date.now() - start;
  return { context, page, problems, requests, readyMs, origin };
}

// Resolves after the page has drawn `n` more frames.
export async function waitFrames(page, n = 3) {
  const start = await page.evaluate(() => mmlab.stats().frames);
  await page.waitForFunction((target) => mmlab.stats().frames >= target, start + n,
                             { polling: 16 });
}

// Pixel statistics of a PNG screenshot, decoded by the page itself (no PNG
// decoder in node): {width, height, colours (distinct, sampled), stddev}.
export async function imageStats(page, png) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const colours = new Set();
    let sum = 0;
    let sum2 = 0;
    let n = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += l;
      sum2 += l * l;
      n++;
    }
    const mean = sum / n;
    return {
      width: bitmap.width,
      height: bitmap.height,
      colours: colours.size,
      mean,
      stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
    };
  }, png.toString('base64'));
}

export function artifactPath(name) {
  mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, name);
}

// For a test file: serves the site and launches one browser before its tests,
// and closes both after them. Returns {site, browser}, filled in by then.
export function useSiteAndBrowser() {
  const env = {};
  before(async () => {
    env.site = await serveSite();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
