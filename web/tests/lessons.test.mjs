// The lesson player in the page: pick the buddy-allocator lesson in the
// picker, answer a prediction right and one wrong, complete a task by typing
// into the console and one with "Show me", and see the steps marked done
// (mmlab.lesson()). Clicks go to where the panel drew its controls (the
// Lessons window of mmlab.windows(), the controls of mmlab.lesson()).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  artifactPath, openLab, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

function inside(rect, window) {
  return rect.x >= window.x - 1 && rect.y >= window.y - 1 &&
         rect.x + rect.w <= window.x + window.w + 1 && rect.y + rect.h <= window.y + window.h + 1;
}

// Clicks the lesson panel's control `name` (it must lie inside the Lessons window).
async function clickControl(page, name) {
  await waitFrames(page, 2);
  const { controls } = await page.evaluate(() => mmlab.lesson());
  const control = controls.find((c) => c.name === name);
  assert.ok(control, `the lesson panel draws ${name}; it has ${controls.map((c) => c.name)}`);
  const windows = await page.evaluate(() => mmlab.windows());
  const lessons = windows.find((w) => w.name === 'Lessons###lessons');
  assert.ok(lessons, 'a Lessons panel is drawn');
  assert.ok(inside(control, lessons), `${name} lies inside the Lessons panel`);
  await page.mouse.click(control.x + control.w / 2, control.y + control.h / 2);
  await waitFrames(page, 3);
}

async function lesson(page) {
  return page.evaluate(() => mmlab.lesson());
}

test('a student follows the buddy-allocator lesson', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await waitFrames(page, 3);

    // The picker lists every lesson, with no progress yet.
    let state = await lesson(page);
    assert.equal(state.id, null);
    assert.deepEqual(state.lessons.map((l) => l.id).sort(),
                     ['buddy-allocator', 'nodes-and-zones', 'watermarks-and-gfp']);
    assert.ok(state.lessons.every((l) => l.doneSteps === 0));

    // Pick it: step 1 starts and its setup runs through the console.
    await clickControl(page, 'pick:buddy-allocator');
    state = await lesson(page);
    assert.equal(state.id, 'buddy-allocator');
    assert.equal(state.step, 1);
    assert.equal(state.done.length, state.steps);
    assert.ok(state.done.every((d) => !d));
    assert.match(await page.evaluate(() => mmlab.history()), /^boot arch=toy ram=64K\n$/);

    // Step 1, a number: 64 KiB of 4 KiB frames. Right.
    await clickControl(page, 'number');
    await page.keyboard.type('16', { delay: 15 });
    await clickControl(page, 'answer');
    state = await lesson(page);
    assert.deepEqual(state.answered['1'],
                     { answer: '16', computed: '16', right: true, attempts: 1, firstRight: true });
    assert.equal(state.done[0], true);

    // Step 2, a task done by typing into the console.
    await clickControl(page, 'next');
    state = await lesson(page);
    assert.equal(state.step, 2);
    assert.equal(state.done[1], false);
    const console = (await page.evaluate(() => mmlab.windows())).find((w) => w.name === 'Console###console');
    assert.ok(console, 'a Console panel is drawn');
    await page.mouse.click(console.x + console.w / 2, console.y + console.h - 14);
    await waitFrames(page, 2);
    await page.keyboard.type('cat /proc/buddyinfo', { delay: 10 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => mmlab.lesson().done[1] === true, null, { timeout: 10000 });
    const typed = (await page.evaluate(() => mmlab.scrollback(1)))[0];
    assert.equal(typed.cmd, 'cat /proc/buddyinfo');
    assert.equal(typed.source, 'typed');

    // Step 3, multiple choice: "0" is wrong (the block comes from order 4), and
    // the reveal then runs on the real machine.
    await clickControl(page, 'next');
    await clickControl(page, 'choice:0');
    state = await lesson(page);
    assert.equal(state.step, 3);
    assert.deepEqual(state.answered['3'],
                     { answer: '0', computed: '4', right: false, attempts: 1, firstRight: false });
    assert.equal(state.done[2], true);
    assert.match(await page.evaluate(() => mmlab.history()), /alloc_pages order=0 as=a/);

    // Step 7, a task done with "Show me" (a control of the panel).
    for (let step = 4; step <= 7; step++) await clickControl(page, 'next');
    state = await lesson(page);
    assert.equal(state.step, 7);
    assert.equal(state.done[6], false);
    await clickControl(page, 'show_me');
    await page.waitForFunction(() => mmlab.lesson().done[6] === true, null, { timeout: 10000 });
    const shown = (await page.evaluate(() => mmlab.scrollback(1)))[0];
    assert.equal(shown.cmd, 'free_pages x');
    assert.equal(shown.source, 'control');

    state = await lesson(page);
    // Steps 4 to 6 are predictions not answered: not done, their reveals ran
    // when the student went on (skipped); step 7 was done with Show me.
    assert.deepEqual(state.done.slice(0, 7), [true, true, true, false, false, false, true]);
    assert.deepEqual(state.status.slice(0, 8),
                     ['answered', 'task_done', 'answered', 'skipped', 'skipped', 'skipped', 'shown',
                      'not_started']);
    await page.screenshot({ path: artifactPath('lessons.png') });

    // Back in the picker, the lesson shows its progress.
    await clickControl(page, 'picker');
    state = await lesson(page);
    assert.equal(state.id, null);
    assert.equal(state.lessons.find((l) => l.id === 'buddy-allocator').doneSteps, 4);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
