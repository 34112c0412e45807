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
