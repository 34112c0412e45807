// The tiled layout in the page, at the window sizes that count: the default
// layout tiles every panel; a lesson step about /proc/buddyinfo (panels:
// console, free_lists) gives the console the width it needs, so that what a
// student types there (cat /proc/buddyinfo, help alloc_pages) is read
// without scrolling sideways; a step that names other panels collapses the
// rest to strips that open on a click; a border drags. Screenshots of each
// layout go to web/tests/artifacts/ (mmlab.layout() gives the rectangles).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  artifactPath, openLab, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

const SIZES = [{ width: 1280, height: 800 }, { width: 1366, height: 768 }];

function panel(layout, name) {
  const found = layout.panels.find((p) => p.name === name);
  assert.ok(found, `mmlab.layout() has the ${name} panel`);
  return found;
}

function within(rect, area, what) {
  assert.ok(rect.x >= area.x - 0.5 && rect.x + rect.w <= area.x + area.w + 0.5,
            `${what} (${rect.x}+${rect.w}) lies within x ${area.x}..${area.x + area.w}`);
}

// Types `text` into the console's input line and waits until it ran and
// the panel drew it.
async function typeCommand(page, text) {
  const consoleWindow = panel(await page.evaluate(() => mmlab.layout()), 'console');
  await page.mouse.click(consoleWindow.x + consoleWindow.w / 2,
                         consoleWindow.y + consoleWindow.h - 14);
  await waitFrames(page, 2);
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => mmlab.scrollback(1)[0]?.cmd === t, text, { timeout: 10000 });
  await waitFrames(page, 3);
}

for (const size of SIZES) {
  const tag = `${size.width}x${size.height}`;

  test(`the default layout tiles every panel at ${tag}`, async () => {
    const lab = await openLab(env.browser, env.site.url, size);
    try {
      const { page } = lab;
      await waitFrames(page, 3);
      const layout = await page.evaluate(() => mmlab.layout());
      assert.equal(layout.arrangement, 'default');
      for (const p of layout.panels) {
        assert.equal(p.place, 'tile', p.name);
        assert.ok(p.w > 100 && p.h > 60, `${p.name} has room: ${p.w}x${p.h}`);
        assert.ok(p.x >= 0 && p.x + p.w <= size.width + 0.5, `${p.name} inside the window`);
      }
      assert.ok(layout.borders.length >= 6, 'borders between the tiles');
      await page.screenshot({ path: artifactPath(`layout-default-${tag}.png`) });
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });

  test(`a buddyinfo step's console shows buddyinfo and help whole at ${tag}`, async () => {
    const lab = await openLab(env.browser, `${env.site.url}#lesson=buddy-allocator&step=2`, size);
    try {
      const { page } = lab;
      await page.waitForFunction(() => mmlab.lesson().step === 2);
      await waitFrames(page, 3);
      let layout = await page.evaluate(() => mmlab.layout());
      assert.equal(layout.arrangement, 'step_reads_console');
      assert.equal(panel(layout, 'console').place, 'tile');
      assert.equal(panel(layout, 'free_lists').place, 'tile');
      assert.equal(panel(layout, 'map').place, 'strip');
      assert.equal(panel(layout, 'zones').place, 'strip');

      await typeCommand(page, 'cat /proc/buddyinfo');
      await typeCommand(page, 'help alloc_pages');
      layout = await page.evaluate(() => mmlab.layout());
      const { console } = layout;
      const entries = console.entries.slice(-2);
      assert.equal(entries.length, 2);
      within(entries[0], console, 'cat /proc/buddyinfo as drawn');
      within(entries[1], console, 'help alloc_pages as drawn');
      assert.equal(console.scrollX, 0, 'not scrolled sideways');
      // buddyinfo's lines are not wrapped: its widest line is most of the width.
      const buddyinfo = (await page.evaluate(() => mmlab.scrollback(2)))[0];
      assert.match(buddyinfo.out, /^Node 0, zone {3,}\w+ +\d/m);
      assert.ok(entries[0].w > 600, `buddyinfo drawn ${entries[0].w} px wide, on one line each`);
      await page.screenshot({ path: artifactPath(`layout-step-buddyinfo-${tag}.png`) });

      // Drag the border above the console up by 60 px: the console grows.
      const consoleTile = panel(layout, 'console');
      const border = layout.borders.find((b) => b.split === 'rows' &&
        Math.abs(b.y + b.h - consoleTile.y) < 1 && b.x <= consoleTile.x + 1);
      assert.ok(border, 'a border above the console');
      await page.mouse.move(border.x + border.w / 2, border.y + border.h / 2);
      await page.mouse.down();
      await waitFrames(page, 2);
      for (let i = 1; i <= 6; i++) {
        await page.mouse.move(border.x + border.w / 2, border.y + border.h / 2 - 10 * i);
        await waitFrames(page, 1);
      }
      await page.mouse.up();
      await waitFrames(page, 2);
      const grown = panel(await page.evaluate(() => mmlab.layout()), 'console');
      assert.ok(Math.abs(grown.h - consoleTile.h - 60) <= 2,
                `the console grew by the drag: ${consoleTile.h} -> ${grown.h}`);
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });

  test(`a step's other panels collapse to strips that open at ${tag}`, async () => {
    const lab = await openLab(env.browser, `${env.site.url}#lesson=buddy-allocator&step=1`, size);
    try {
      const { page } = lab;
      await page.waitForFunction(() => mmlab.lesson().step === 1);
      await waitFrames(page, 3);
      let layout = await page.evaluate(() => mmlab.layout());
      assert.equal(layout.arrangement, 'step'); // panels: map, zones
      for (const name of ['map', 'zones', 'console', 'lessons']) {
        assert.equal(panel(layout, name).place, 'tile', name);
      }
      for (const name of ['free_lists', 'events', 'plots']) {
        assert.equal(panel(layout, name).place, 'strip', name);
      }
      // Even a console the step does not name is wide enough to read buddyinfo.
      assert.ok(panel(layout, 'console').w >= 99 * 8, `console ${panel(layout, 'console').w} px`);
      await page.screenshot({ path: artifactPath(`layout-step-map-zones-${tag}.png`) });

      const strip = layout.strips.find((s) => s.name === 'strip:free_lists');
      assert.ok(strip, `a strip for the free lists: ${JSON.stringify(layout.strips)}`);
      await page.mouse.click(strip.x + strip.w / 2, strip.y + strip.h / 2);
      await waitFrames(page, 3);
      layout = await page.evaluate(() => mmlab.layout());
      assert.equal(panel(layout, 'free_lists').place, 'tile');
      assert.ok(panel(layout, 'free_lists').w > 100);
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });
}
