// The views of the machine through the page: the allocate control
// runs its command (console, free lists, map), the physical map shows a
// tooltip on hover, selects on click and zooms with the wheel, the panels
// follow a resize; and the UI's CPU time per frame with a 16 GiB machine and
// the map visible, and the page's transfer size, are reported (diagnostics,
// not timed assertions). Screenshots go to web/tests/artifacts/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import {
  artifactPath, openLab, siteDir, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

async function windowNamed(page, id) {
  const windows = await page.evaluate(() => mmlab.windows());
  const w = windows.find((x) => x.name.endsWith(`###${id}`));
  assert.ok(w, `a window ###${id} is drawn (have ${windows.map((x) => x.name).join(', ')})`);
  return w;
}

// A point inside the map's cells area (mmlab.stats().mapCells: where the map
// panel drew its cells in the last frame).
async function mapPoint(page, fx, fy) {
  const c = (await page.evaluate(() => mmlab.stats())).mapCells;
  assert.ok(c && c.w > 50 && c.h > 50, `map cells area ${JSON.stringify(c)}`);
  return { x: c.x + 1 + (c.w - 2) * fx, y: c.y + 1 + (c.h - 2) * fy };
}

const stats = (page) => page.evaluate(() => mmlab.stats());

test('the allocate control runs its command: console, free list and map', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await page.evaluate(() => mmlab.run('boot arch=toy ram=64K'));
    await waitFrames(page, 3);
    const map = await windowNamed(page, 'map');
    const mapClip = { x: map.x, y: map.y, width: map.w, height: map.h };
    const before = await page.screenshot({ path: artifactPath('views-map-before.png'), clip: mapClip });

    // The button is on the second row of the zones panel's controls, under
    // the panel's intro line, left-aligned: click down a column until a
    // command runs.
    const zones = await windowNamed(page, 'zones');
    const run = (await stats(page)).commandsRun;
    for (let y = zones.y + 24; y < zones.y + 190; y += 4) {
      await page.mouse.click(zones.x + 20, y);
      await waitFrames(page, 2);
      if ((await stats(page)).commandsRun !== run) break;
    }
    assert.notEqual((await stats(page)).commandsRun, run, 'no click reached the allocate button');
    const entries = await page.evaluate(() => mmlab.scrollback(5));
    const last = entries.filter((e) => e.kind === 'command').at(-1);
    assert.equal(last.cmd, 'alloc_pages order=0 gfp=GFP_KERNEL');
    assert.equal(last.source, 'control');
    assert.ok(last.ok, last.error);
    assert.match(last.out, /pfn 0x0 order 0/);

    // The split left pfn 1 alone on the order-0 list.
    const [list] = await page.evaluate(() => mmlab.run('free_list order=0'));
    assert.match(list.out, /order 0: 0x1\b/);

    // The map shows pfn 0 allocated now.
    await page.mouse.move(5, 795);
    await waitFrames(page, 3);
    const after = await page.screenshot({ path: artifactPath('views-map-after-alloc.png'), clip: mapClip });
    assert.ok(!before.equals(after), 'the map did not change');
    await page.screenshot({ path: artifactPath('views-alloc.png') });
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('hovering the map shows a tooltip; a click selects; the wheel zooms', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await page.evaluate(() => mmlab.run('boot ram=1G; alloc_pages order=4 as=a'));
    await page.mouse.move(5, 795);
    await waitFrames(page, 3);
    await windowNamed(page, 'map');
    const p = await mapPoint(page, 0.3, 0.3);
    const clip = { x: p.x, y: p.y, width: 320, height: 160 };
    const quiet = await page.screenshot({ clip });
    assert.equal((await stats(page)).mapHoveredPfn, null);

    await page.mouse.move(p.x, p.y);
    await waitFrames(page, 4);
    const hovered = (await stats(page)).mapHoveredPfn;
    assert.equal(typeof hovered, 'number', 'the pointer is over a frame');
    const tip = await page.screenshot({ path: artifactPath('views-map-tooltip.png'), clip });
    assert.ok(!quiet.equals(tip), 'no tooltip appeared');

    await page.mouse.click(p.x, p.y);
    await waitFrames(page, 3);
    assert.equal((await stats(page)).selectedPfn, hovered);

    // Wheel up zooms in around the pointer, wheel down back out.
    const level = (await stats(page)).mapLevel;
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, -120);
      await waitFrames(page, 2);
    }
    const zoomed = (await stats(page)).mapLevel;
    assert.ok(zoomed > level, `level ${level} -> ${zoomed}`);
    await page.screenshot({ path: artifactPath('views-map-zoomed.png') });
    for (let i = 0; i < 6; i++) {
      await page.mouse.wheel(0, 120);
      await waitFrames(page, 2);
    }
    assert.equal((await stats(page)).mapLevel, level);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('the views follow a resize to the narrow layout', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await page.setViewportSize({ width: 900, height: 700 });
    await page.waitForFunction(() => mmlab.stats().width === 900, null, { polling: 16 });
    await waitFrames(page, 3);
    for (const id of ['map', 'free_lists', 'events', 'plots', 'zones', 'console']) {
      const w = await windowNamed(page, id);
      assert.ok(w.x >= 0 && w.y >= 0 && w.x + w.w <= 900.5 && w.y + w.h <= 700.5, `${id} inside`);
    }
    await page.screenshot({ path: artifactPath('views-narrow.png') });
    // A laptop-sized window with a lesson open: the player takes a column on
    // the right and the console keeps room for several commands.
    await page.evaluate(() => { location.hash = 'lesson=buddy-allocator&step=2'; });
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.waitForFunction(() => mmlab.lesson().id === 'buddy-allocator', null, { polling: 50 });
    await waitFrames(page, 5);
    const player = await windowNamed(page, 'lessons');
    const console = await windowNamed(page, 'console');
    assert.ok(Math.abs(player.x + player.w - 1000) < 1, JSON.stringify(player));
    assert.ok(console.x + console.w <= player.x + 0.5, JSON.stringify({ console, player }));
    assert.ok(console.h >= 200, JSON.stringify(console));
    await page.screenshot({ path: artifactPath('views-narrow-lesson.png') });
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('UI CPU time per frame with a 16 GiB machine and the map visible', async (t) => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    t.diagnostic(`mmlab.ready after ${lab.readyMs} ms`);
    await page.evaluate(() => mmlab.run('boot ram=16G'));
    await waitFrames(page, 3);
    await windowNamed(page, 'map');
    // The pointer over the map: the tooltip's frame lookup every frame.
    const p = await mapPoint(page, 0.5, 0.5);
    await page.mouse.move(p.x, p.y);
    await waitFrames(page, 120);
    const s = await stats(page);
    t.diagnostic(`16 GiB, map visible, hovering: cpuMsAvg ${s.cpuMsAvg.toFixed(2)} ms, ` +
                 `cpuMsMax ${s.cpuMsMax.toFixed(2)} ms, summary rebuilds ${s.mapRebuilds}`);
    // A command changes the machine: the summary is rebuilt once.
    await page.evaluate(() => mmlab.run('alloc_pages order=9 as=x'));
    await waitFrames(page, 30);
    const s2 = await stats(page);
    t.diagnostic(`after a command: cpuMsAvg ${s2.cpuMsAvg.toFixed(2)} ms, rebuilds ${s2.mapRebuilds}`);
    assert.equal(s2.mapRebuilds, s.mapRebuilds + 1);
    await page.screenshot({ path: artifactPath('views-16g.png') });

    // The page's transfer size: every file of the site, gzipped.
    let raw = 0;
    let gz = 0;
    for (const name of readdirSync(siteDir)) {
      const file = path.join(siteDir, name);
      if (!statSync(file).isFile()) continue;
      const bytes = readFileSync(file);
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    t.diagnostic(`site: ${raw} bytes, ${gz} bytes gzipped`);
    // The budget: under 1 MB over the wire (the fonts are subsets for it, assets/README.md).
    assert.ok(gz < 1000000, `the page is ${gz} bytes gzipped, over 1 MB`);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

// A scripted session, then the map's pixels: half of the toy machine is an
// allocated order-3 block (pfns 0-7), half a free order-3 block (pfns 8-15).
test('a scripted session paints the map in the expected colours', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await page.evaluate(() => mmlab.run('boot arch=toy ram=64K; alloc_pages order=3 as=half'));
    await waitFrames(page, 5);
    await page.mouse.move(2, 790); // keep the pointer (and its tooltip) off the map
    await waitFrames(page, 3);
    const c = (await stats(page)).mapCells;
    const png = await page.screenshot({
      path: artifactPath('views-map-colours.png'),
      clip: { x: c.x, y: c.y, width: c.w, height: c.h },
    });
    // The map colours by order at first: count pixels of an allocated
    // order-3 block (help.cpp, allocated_order_colour(3): 62,84,142) and of a
    // free order-3 block (free_order_colour(3): 94,131,35), within +-6.
    const counts = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const near = (i, r, g, b) => Math.abs(data[i] - r) <= 6 && Math.abs(data[i + 1] - g) <= 6 &&
                                   Math.abs(data[i + 2] - b) <= 6;
      let allocated = 0;
      let free3 = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, 62, 84, 142)) allocated++;
        if (near(i, 94, 131, 35)) free3++;
      }
      // Zoomed in to 32 px frames (8 a row: the allocated block is row 0,
      // the free one row 1), blocks are outlined and frames bordered: the
      // darkest pixel down a column across the rows' boundary, and along
      // row 0 across the border of frames 0 and 1 (below the pfn labels).
      const brightness = (x, y) => {
        const i = (y * bitmap.width + x) * 4;
        return (data[i] + data[i + 1] + data[i + 2]) / 3;
      };
      let blockEdge = 255;
      for (let y = 26; y <= 38; y++) blockEdge = Math.min(blockEdge, brightness(3 * 32 + 16, y));
      let frameEdge = 255;
      for (let x = 26; x <= 38; x++) frameEdge = Math.min(frameEdge, brightness(x, 20));
      return { allocated, free3, total: data.length / 4, blockEdge, frameEdge };
    }, png.toString('base64'));
    assert.ok(counts.blockEdge < 60, `the blocks are outlined: ${JSON.stringify(counts)}`);
    assert.ok(counts.frameEdge < 125, `the frames are bordered: ${JSON.stringify(counts)}`);
    // The 16 frames fill the top rows of the cell area (the rest is beyond RAM).
    assert.ok(counts.allocated > 1000, JSON.stringify(counts));
    assert.ok(counts.free3 > 1000, JSON.stringify(counts));
    const ratio = counts.allocated / counts.free3;
    assert.ok(ratio > 0.6 && ratio < 1.6, `allocated/free pixels ${ratio}: ${JSON.stringify(counts)}`);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
