// The lesson player in the page: pick the buddy-allocator lesson in the
// picker, answer a prediction right in hex and one wrong then right, complete
// a task by typing into the console and one with "Show me", and see the
// steps' outcomes and the score (mmlab.lesson()); answer a pfn question with
// 0x38000, as the console prints it. Clicks go to where the panel drew its controls (the
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

    // Pick it: step 1 starts. Its question boots the toy machine in its
    // reveal (the boot line would print the answer), so nothing has run yet.
    await clickControl(page, 'pick:buddy-allocator');
    state = await lesson(page);
    assert.equal(state.id, 'buddy-allocator');
    assert.equal(state.step, 1);
    assert.equal(state.done.length, state.steps);
    assert.ok(state.done.every((d) => !d));
    assert.doesNotMatch(await page.evaluate(() => mmlab.history()), /arch=toy/);
    assert.ok(state.controls.some((c) => c.name === 'next_rule'),
              'the rule for Next is said in the player');

    // Step 1, a number: 64 KiB of 4 KiB frames, typed in hex (the field
    // once dropped the x and read 010). Right; then the reveal boots.
    await clickControl(page, 'number');
    await page.keyboard.type('0x10', { delay: 15 });
    await clickControl(page, 'answer');
    state = await lesson(page);
    assert.deepEqual(state.answered['1'], {
      answer: '0x10', computed: '16', right: true, revealed: true, attempts: 1, firstRight: true,
    });
    assert.equal(state.done[0], true);
    assert.match(await page.evaluate(() => mmlab.history()), /^boot arch=toy ram=64K\n/);

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

    // Step 3, multiple choice: "0" is wrong (the block comes from order 4).
    // Nothing runs and the lab's answer stays hidden; the student tries again.
    await clickControl(page, 'next');
    await clickControl(page, 'choice:0');
    state = await lesson(page);
    assert.equal(state.step, 3);
    assert.deepEqual(state.answered['3'], {
      answer: '0', computed: '', right: false, revealed: false, attempts: 1, firstRight: false,
    });
    assert.equal(state.done[2], false);
    assert.ok(state.controls.some((c) => c.name === 'feedback'), 'it says the answer is not right');
    assert.doesNotMatch(await page.evaluate(() => mmlab.history()), /alloc_pages order=0 as=a/);
    await page.screenshot({ path: artifactPath('lessons-retry.png') });
    await clickControl(page, 'choice:4');
    state = await lesson(page);
    assert.deepEqual(state.answered['3'], {
      answer: '4', computed: '4', right: true, revealed: true, attempts: 2, firstRight: false,
    });
    assert.match(await page.evaluate(() => mmlab.history()), /alloc_pages order=0 as=a/);
    // The score reflects the first answer: step 1 right first time, step 3 after a wrong one.
    assert.equal(state.score.rightFirst, 1);
    assert.equal(state.score.rightLater, 1);
    assert.equal(state.score.attempts, 3);
    // Restart step asks again; the attempts and the score stay.
    await clickControl(page, 'restart');
    state = await lesson(page);
    assert.equal(state.answered['3'].attempts, 2);
    assert.equal(state.answered['3'].revealed, false);
    assert.equal(state.score.rightLater, 1);

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
    // Steps 4 to 6 are predictions not answered: Next ran their reveals and
    // they count as shown; step 7 was done with Show me.
    assert.deepEqual(state.done.slice(0, 7), [true, true, true, true, true, true, true]);
    assert.deepEqual(state.status.slice(0, 8),
                     ['unaided', 'unaided', 'after_help', 'shown', 'shown', 'shown', 'shown',
                      'not_started']);
    await page.screenshot({ path: artifactPath('lessons.png') });

    // Back in the picker, the lesson shows its progress.
    await clickControl(page, 'picker');
    state = await lesson(page);
    assert.equal(state.id, null);
    assert.equal(state.lessons.find((l) => l.id === 'buddy-allocator').doneSteps, 7);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

// The i386 step of nodes-and-zones asks for ZONE_HIGHMEM's first pfn: 896 MiB
// / 4 KiB = 229376 = 0x38000, typed as the console prints pfns.
test('a pfn prediction takes 0x38000 at 1280x800', async () => {
  const lab = await openLab(env.browser, env.site.url + '#lesson=nodes-and-zones&step=7',
                            { width: 1280, height: 800 });
  try {
    const { page } = lab;
    await waitFrames(page, 5);
    let state = await lesson(page);
    assert.equal(state.id, 'nodes-and-zones');
    assert.equal(state.step, 7);
    await clickControl(page, 'number');
    await page.keyboard.type('0x38000', { delay: 15 });
    await clickControl(page, 'answer');
    state = await lesson(page);
    assert.deepEqual(state.answered['7'], {
      answer: '0x38000', computed: '229376', right: true, revealed: true, attempts: 1,
      firstRight: true,
    });
    assert.equal(state.status[6], 'unaided');
    await page.screenshot({ path: artifactPath('lessons-hex.png') });
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
