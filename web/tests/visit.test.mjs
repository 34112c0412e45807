// A student's first minutes in the page: the first-visit tour (shown once,
// off with #notour), the reader for long output, quick clicks that all
// count, and where the time to mmlab.ready goes (printed, best of three; a
// figure to read, not a timed assertion).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { artifactPath, openLab, useSiteAndBrowser, waitFrames } from './lab.mjs';

const env = useSiteAndBrowser();

test('the tour opens on the first visit, not on the second, and never with #notour', async () => {
  const first = await openLab(env.browser, env.site.url, { tour: true });
  let storage;
  try {
    const { page } = first;
    let tour = await page.evaluate(() => mmlab.tour());
    assert.equal(tour.open, true, 'the first visit opens the tour');
    assert.equal(tour.step, 1);
    assert.ok(tour.steps >= 3 && tour.steps <= 5, `${tour.steps} callouts`);
    assert.equal(tour.setting, 'seen', 'the visit is recorded');
    assert.equal(await page.isVisible('#tour'), true);
    assert.equal(await page.textContent('#tour-title'), 'Lessons');
    // The frame is around the Lessons panel where the lab drew it.
    const lessons = (await page.evaluate(() => mmlab.windows()))
      .find((w) => w.name.endsWith('###lessons'));
    const mark = await page.locator('#tour-mark').boundingBox();
    assert.ok(lessons && mark && Math.abs(mark.x - lessons.x) < 2 && Math.abs(mark.y - lessons.y) < 2,
              'the callout marks the Lessons panel');
    await page.screenshot({ path: artifactPath('tour-1280x800.png') });

    // Keyboard: Enter goes on, Escape skips the rest.
    await page.keyboard.press('Enter');
    tour = await page.evaluate(() => mmlab.tour());
    assert.equal(tour.step, 2);
    assert.equal(await page.textContent('#tour-title'), 'The console');
    await page.keyboard.press('Escape');
    tour = await page.evaluate(() => mmlab.tour());
    assert.equal(tour.open, false, 'Escape skips the tour');
    assert.equal(await page.isVisible('#tour'), false);
    // The keys went to the tour, not to the lab's console.
    assert.equal((await page.evaluate(() => mmlab.scrollback(50)))
      .filter((e) => e.kind === 'command').length, 0);
    storage = await first.context.storageState();
    assert.deepEqual(first.problems, []);
  } finally {
    await first.context.close();
  }

  // A second visit of the same browser (its storage): no tour, until the
  // student asks for it in Help > Tour.
  const second = await openLab(env.browser, env.site.url, { tour: true, storageState: storage });
  try {
    const { page } = second;
    await waitFrames(page, 2);
    assert.equal((await page.evaluate(() => mmlab.tour())).open, false);
    assert.equal(await page.isVisible('#tour'), false);
    const control = async (name) => {
      const { menuControls } = await page.evaluate(() => mmlab.stats());
      const c = menuControls.find((m) => m.name === name);
      assert.ok(c, `the menu bar draws ${name}: ${JSON.stringify(menuControls)}`);
      await page.mouse.click(c.x + c.w / 2, c.y + c.h / 2);
      await waitFrames(page, 3);
    };
    await control('help');
    await control('tour');
    const tour = await page.evaluate(() => mmlab.tour());
    assert.equal(tour.open, true, 'Help > Tour opens it again');
    assert.equal(tour.step, 1);
    await page.click('#tour-skip');
    assert.equal((await page.evaluate(() => mmlab.tour())).open, false, 'Skip closes it');
    assert.deepEqual(second.problems, []);
  } finally {
    await second.context.close();
  }

  // A first visit with the off switch in the fragment, next to a link's keys.
  const off = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=2&notour',
                            { tour: true });
  try {
    const tour = await off.page.evaluate(() => mmlab.tour());
    assert.equal(tour.open, false, '#notour keeps the tour closed');
    assert.equal(tour.setting, null, 'and records nothing');
    const lesson = await off.page.evaluate(() => mmlab.lesson());
    assert.equal(lesson.id, 'buddy-allocator', 'the link beside notour still opens');
    assert.equal(lesson.step, 2);
    assert.deepEqual(off.problems, []);
  } finally {
    await off.context.close();
  }
});

test('long output opens whole in the reader, and Escape closes it', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    const [result] = await page.evaluate(() => mmlab.run('cat /proc/pagetypeinfo'));
    assert.equal(result.ok, true, result.error);
    await waitFrames(page, 3);
    const entry = (await page.evaluate(() => mmlab.scrollback(1)))[0];
    assert.equal(entry.cmd, 'cat /proc/pagetypeinfo');
    assert.ok(entry.reader, 'pagetypeinfo, wider than the console, gets a reader button');
    const console = (await page.evaluate(() => mmlab.windows())).find((w) => w.name.endsWith('###console'));
    assert.ok(entry.reader.y >= console.y && entry.reader.y + entry.reader.h <= console.y + console.h,
              'the button is in view at the end of the output');
    await page.mouse.click(entry.reader.x + entry.reader.w / 2, entry.reader.y + entry.reader.h / 2);
    await page.waitForSelector('#reader', { state: 'visible', timeout: 5000 });
    const text = await page.textContent('#reader-text');
    assert.equal(text, result.out.replace(/\n$/, ''), 'the reader holds the whole output');
    assert.equal(await page.textContent('#reader-title'), '$ cat /proc/pagetypeinfo');
    // Unwrapped: one line of the text per line of the <pre>, scrolling sideways.
    const style = await page.evaluate(() => {
      const pre = document.getElementById('reader-text');
      const s = getComputedStyle(pre);
      return { whiteSpace: s.whiteSpace, overflowX: s.overflowX };
    });
    assert.equal(style.whiteSpace, 'pre');
    assert.equal(style.overflowX, 'auto');
    await page.screenshot({ path: artifactPath('reader-pagetypeinfo.png') });
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#reader'), false, 'Escape closes the reader');
    assert.equal((await page.evaluate(() => mmlab.reader())).open, false);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('quick clicks on a button all count, even ten events in one frame', async () => {
  const lab = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=2');
  try {
    const { page } = lab;
    await waitFrames(page, 3);
    const undo = (await page.evaluate(() => mmlab.lesson())).controls.find((c) => c.name === 'undo');
    assert.ok(undo, 'the lesson panel draws its undo button');
    const x = undo.x + undo.w / 2;
    const y = undo.y + undo.h / 2;
    const count = async () => (await page.evaluate(() => mmlab.scrollback(200)))
      .filter((e) => e.kind === 'command' && e.cmd === 'undo').length;
    const settle = async (n) => {
      await page.waitForFunction((want) => mmlab.scrollback(200)
        .filter((e) => e.kind === 'command' && e.cmd === 'undo').length >= want, n,
                                 { timeout: 5000 }).catch(() => {});
      await waitFrames(page, 5);
    };
    const before = await count();
    await page.mouse.move(x, y);
    await waitFrames(page, 2);

    // Five clicks through the browser's input, down and up without waiting
    // for frames.
    for (let i = 0; i < 5; i++) {
      await page.mouse.down();
      await page.mouse.up();
    }
    await settle(before + 5);
    assert.equal(await count() - before, 5, 'every click ran undo once');

    // Five more, all ten events in one task of the page, so in one frame:
    // ImGui 1.86's SDL backend alone would see one press.
    const frames = await page.evaluate(({ cx, cy }) => {
      const canvas = document.getElementById('canvas');
      const at = { clientX: cx, clientY: cy, button: 0, bubbles: true, cancelable: true };
      const start = mmlab.stats().frames;
      for (let i = 0; i < 5; i++) {
        canvas.dispatchEvent(new MouseEvent('mousedown', { ...at, buttons: 1 }));
        canvas.dispatchEvent(new MouseEvent('mouseup', { ...at, buttons: 0 }));
      }
      return mmlab.stats().frames - start;
    }, { cx: x, cy: y });
    assert.equal(frames, 0, 'the ten events arrived between two frames');
    await settle(before + 10);
    assert.equal(await count() - before, 10, 'every click of the burst ran undo once');
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('where the time to mmlab.ready goes (best of three, printed)', async () => {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const lab = await openLab(env.browser, env.site.url);
    try {
      const t = await lab.page.evaluate(() => mmlab.timings());
      assert.equal(t.wasm, 'streaming', 'mmlab.wasm compiles while it downloads');
      assert.ok(t.totalMs > 0);
      assert.ok('mmlab:wasm-fetched' in t.marks && 'mmlab:fonts' in t.marks);
      runs.push({ ...t, readyMs: lab.readyMs });
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  }
  runs.sort((a, b) => a.totalMs - b.totalMs);
  const best = runs[0];
  console.log(`# mmlab.ready after ${best.totalMs} ms (best of three; all: ` +
              `${runs.map((r) => r.totalMs).join(', ')} ms from navigation; ` +
              `${runs.map((r) => r.readyMs).join(', ')} ms as the test saw them)`);
  for (const p of best.phases) console.log(`#   ${p.name.padEnd(26)} ${p.ms.toFixed(1).padStart(7)} ms`);
});
