// The page itself: it loads, draws WebGL 2 frames that are not blank, keeps
// to its own origin, logs no errors, and follows window resizes and the device
// pixel ratio. Keeps screenshots in web/tests/artifacts/.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  artifactPath, imageStats, openLab, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

test('the page loads and draws WebGL 2 frames that are not blank', async (t) => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    t.diagnostic(`mmlab.ready after ${lab.readyMs} ms`);
    await waitFrames(page, 5);
    const stats = await page.evaluate(() => mmlab.stats());
    t.diagnostic(`stats: ${JSON.stringify(stats)}`);
    assert.match(stats.glVersion, /WebGL 2\.0/);
    assert.equal(stats.width, 1280);
    assert.equal(stats.height, 800);
    assert.equal(stats.fbWidth, 1280);
    assert.equal(stats.pixelScale, 1);
    // The loading message is gone once the lab runs.
    assert.equal(await page.locator('#loading').count(), 0);

    const png = await page.screenshot({ path: artifactPath('page.png') });
    const img = await imageStats(page, png);
    t.diagnostic(`screenshot: ${JSON.stringify(img)}`);
    assert.equal(img.width, 1280);
    // Panels, text and gauges: many colours and real contrast, not a clear colour.
    assert.ok(img.colours >= 32, `only ${img.colours} colours: is the frame blank?`);
    assert.ok(img.stddev >= 8, `luminance stddev ${img.stddev}: is the frame blank?`);

    // The page holds only index.html, mmlab.js and mmlab.wasm.
    for (const u of lab.requests) assert.equal(new URL(u).origin, lab.origin, u);
    const paths = lab.requests.map((u) => new URL(u).pathname).sort();
    assert.deepEqual(paths, ['/', '/mmlab.js', '/mmlab.wasm']);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('the canvas fills the window and follows resizes and the device pixel ratio', async (t) => {
  const lab = await openLab(env.browser, env.site.url, { width: 1000, height: 700, scale: 2 });
  try {
    const { page } = lab;
    await waitFrames(page, 3);
    const canvasSize = () => page.evaluate(() => {
      const c = document.getElementById('canvas');
      const r = c.getBoundingClientRect();
      return { css: [r.width, r.height], backing: [c.width, c.height] };
    });

    let stats = await page.evaluate(() => mmlab.stats());
    assert.deepEqual([stats.width, stats.height, stats.pixelScale], [1000, 700, 2]);
    assert.deepEqual([stats.fbWidth, stats.fbHeight], [2000, 1400]);
    assert.deepEqual(await canvasSize(), { css: [1000, 700], backing: [2000, 1400] });
    await page.screenshot({ path: artifactPath('page-dpr2.png') });

    // A smaller window.
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForFunction(() => mmlab.stats().width === 800, null, { polling: 16 });
    await waitFrames(page, 2);
    stats = await page.evaluate(() => mmlab.stats());
    assert.deepEqual([stats.width, stats.height, stats.fbWidth, stats.fbHeight],
                     [800, 600, 1600, 1200]);
    assert.deepEqual(await canvasSize(), { css: [800, 600], backing: [1600, 1200] });

    // Another device pixel ratio (browser zoom, another screen): the backing
    // store follows and the fonts are rebuilt for it.
    const builds = stats.fontBuilds;
    const cdp = await lab.context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride',
                   { width: 900, height: 600, deviceScaleFactor: 1.5, mobile: false });
    await page.waitForFunction(() => mmlab.stats().pixelScale === 1.5, null, { polling: 16 });
    await waitFrames(page, 2);
    stats = await page.evaluate(() => mmlab.stats());
    t.diagnostic(`after dpr 1.5: ${JSON.stringify(stats)}`);
    assert.deepEqual([stats.width, stats.height, stats.fbWidth, stats.fbHeight],
                     [900, 600, 1350, 900]);
    assert.equal(stats.fontBuilds, builds + 1);
    const png = await page.screenshot({ path: artifactPath('page-dpr1.5.png') });
    const img = await imageStats(page, png);
    assert.ok(img.colours >= 32 && img.stddev >= 8, `blank after the change: ${JSON.stringify(img)}`);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

// The core as the page ships it: the wasm benchmark's order-0 alloc+free loop
// (bench/core_bench.cpp, BM_AllocFreeOrder0) timed inside the page, printed
// next to what `node build/web/bench/core_bench.js` reports. The bound only
// catches a broken build (a debug core, a timer that does not run): the
// figure itself is the diagnostic.
test('the page times the core\'s order-0 alloc+free pair (diagnostic)', async (t) => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    const history = await page.evaluate(() => mmlab.history());
    await page.evaluate(() => mmlab.benchAllocFree(200000)); // warm-up: the wasm tiers up
    const runs = [];
    for (let i = 0; i < 3; ++i) runs.push(await page.evaluate(() => mmlab.benchAllocFree(200000)));
    t.diagnostic(`page alloc+free order 0: ${runs.map((ns) => ns.toFixed(1)).join(', ')} ns/pair ` +
                 `(min ${Math.min(...runs).toFixed(1)})`);
    for (const ns of runs) {
      assert.ok(Number.isFinite(ns) && ns > 0, `not a time: ${ns}`);
      assert.ok(ns < 20000, `${ns} ns per pair: is the page's core built without optimisation?`);
    }
    assert.equal(await page.evaluate(() => mmlab.benchAllocFree(0)), 0);
    // The lab's own machine is untouched: nothing ran in its history.
    assert.equal(await page.evaluate(() => mmlab.history()), history);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

// A 64 GiB machine (16 M frames, a 256 MiB memmap) in the page's 2 GiB heap:
// boot, a command and its undo, and loading its own saved state each work
// and hold one memmap at a time (the heap only grows, so heapBytes after each
// is the most the page has held). The figures are printed as diagnostics and
// the bound is the one the design promises: never two machines at once.
test('a 64 GiB machine boots, undoes and reloads in the page with one memmap', async (t) => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    const heap = async () => (await page.evaluate(() => mmlab.stats())).heapBytes;
    const MiB = (bytes) => (bytes / (1 << 20)).toFixed(0);
    const before = await heap();
    const steps = [
      ['boot', () => mmlab.run('boot ram=64G nodes=2 cpus=8')],
      ['alloc+undo', () => mmlab.run('alloc_pages order=10 node=1 as=big\nundo')],
      ['load', () => [{ ok: mmlab.loadState(mmlab.saveState()) === '' }]],
    ];
    const figures = [];
    for (const [name, step] of steps) {
      const results = await page.evaluate(step);
      for (const r of results) assert.ok(r.ok, `${name}: ${r.cmd ?? ''} ${r.error ?? ''}`);
      figures.push(`${name} ${MiB(await heap())} MiB`);
    }
    t.diagnostic(`page heap with a 64 GiB machine: before ${MiB(before)} MiB, ${figures.join(', ')}`);
    assert.equal(await page.evaluate(() => mmlab.history()), 'boot ram=64G nodes=2 cpus=8\n');
    const memmap = 64 * 2 ** 30 / 4096 * 16; // 16 bytes of struct page a frame
    assert.ok(await heap() < before + 1.5 * memmap,
              `${MiB(await heap())} MiB: more than one 256 MiB memmap held at once`);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
