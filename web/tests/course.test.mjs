// The page for a course: opened from disk it says how to serve it, and the
// single-file build (build/web/mmlab-single.html) runs from disk alone; a
// lesson from outside the site opens from a file (the Lessons menu's file
// input, or dropped on the page) and from a link carrying its text, marked
// "not from this site", its progress kept under its content hash, its parse
// errors shown with their line; a damaged link says what is wrong in the
// lab's words, never the browser's "Failed to fetch"; each of the 12 tasks of
// the shipped lessons passes `mmlab --grade` from a submission made in the
// page by a student who did it, and fails from one who skipped it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  artifactPath, cliPath, openLab, repoRoot, siteDir, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

// A small lesson as an author outside the project would write it: one task,
// and a link that must go nowhere.
export const kOutsideLesson = `---
title: An order-2 block
topic: From a course
position: 1
summary: A lesson written for a course, opened from a file.
---

The kernel's own text is at [kernel.org](https://www.kernel.org/doc/html/latest/mm/).

## Ask for four frames

\`\`\`setup
boot arch=toy ram=64K
\`\`\`

\`\`\`task
goal: Allocate an order-2 block named blk.
check: allocated("blk") && order_of("blk") == 2
hint: alloc_pages takes order=N and as=NAME.
solution: alloc_pages order=2 as=blk
\`\`\`
`;

// FNV-1a 64 of the text's UTF-8 bytes, 16 hex digits: the content hash the
// page keys an outside lesson's progress by (the published FNV constants).
function fnv1a64(text) {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

// Types `text` into the console panel's input line and runs it, as a
// student: a click on the line, each character as the keypress event the
// browser sends for it (all in one go: Playwright's keyboard.type waits for
// a frame per key, 13 s for a 38-character command under SwiftShader), then
// a real Enter.
export async function typeCommand(page, text) {
  const console = (await page.evaluate(() => mmlab.windows()))
    .find((w) => w.name === 'Console###console');
  assert.ok(console, 'a Console panel is drawn');
  // A notice (after Submit for grading) lies over the canvas until clicked.
  if (await page.locator('#notice').isVisible()) await page.locator('#notice').click();
  await page.mouse.click(console.x + console.w / 2, console.y + console.h - 14);
  await waitFrames(page, 2);
  await page.evaluate((typed) => {
    for (const ch of typed) {
      window.dispatchEvent(new KeyboardEvent('keypress',
                                             { key: ch, charCode: ch.codePointAt(0), bubbles: true }));
    }
  }, text);
  await waitFrames(page, 2);
  await page.keyboard.press('Enter');
  await waitFrames(page, 3);
  const [typed] = await page.evaluate(() => mmlab.scrollback(1));
  assert.equal(typed.cmd, text.split(';').pop().trim(), `the console ran what was typed: ${text}`);
  assert.equal(typed.source, 'typed');
}

test('opened from disk: the page says how to serve it, and the single-file build runs', async () => {
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // The site's index.html from disk: at once, the one-line command.
    await page.goto(pathToFileURL(path.join(siteDir, 'index.html')).href);
    const loading = page.locator('#loading');
    await page.waitForFunction(() => /opened from a file/.test(
      document.getElementById('loading').textContent), null, { timeout: 3000 });
    const advice = await loading.textContent();
    assert.match(advice, /python3 -m http\.server --bind 127\.0\.0\.1 --directory "[^"]+" 8000/);
    assert.ok(advice.includes(siteDir), `the command serves ${siteDir}: ${advice}`);
    assert.match(advice, /scripts\/serve\.sh/);
    assert.doesNotMatch(advice, /Failed to fetch|Loading the lab/);
    await page.screenshot({ path: artifactPath('course-from-disk.png') });

    // The single-file build, alone in a folder of its own: it runs.
    const single = path.join(siteDir, '..', 'mmlab-single.html');
    assert.ok(existsSync(single), `${single} is built by the web build (target mmlab-single)`);
    const folder = artifactPath('single');
    mkdirSync(folder, { recursive: true });
    copyFileSync(single, path.join(folder, 'mmlab-single.html'));
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(path.join(folder, 'mmlab-single.html')).href);
    await page.evaluate(() => window.mmlab.ready);
    const [boot, info] = await page.evaluate(() => mmlab.run('boot arch=toy ram=64K; cat /proc/buddyinfo'));
    assert.equal(boot.ok, true);
    // 64 KiB: 16 frames, one free order-4 block.
    assert.match(info.out, /^Node 0, zone\s+Normal\s+0\s+0\s+0\s+0\s+1\s+0/);
    assert.equal(await page.evaluate(() => mmlab.timings().wasm), 'inline');
    // Nothing but the file itself was asked for.
    assert.deepEqual(requests.filter((u) => !u.endsWith('mmlab-single.html')), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a lesson from outside the site: from a file, from a link, and its errors', async () => {
  const lab = await openLab(env.browser, env.site.url);
  let link;
  try {
    const { page } = lab;
    // The Lessons menu's file input (what "Open a lesson file..." clicks).
    await page.setInputFiles('#lesson-file', {
      name: 'course-order-2.md', mimeType: 'text/markdown', buffer: Buffer.from(kOutsideLesson),
    });
    await page.waitForFunction(() => mmlab.lesson().id === 'course-order-2', null, { timeout: 10000 });
    await waitFrames(page, 3);
    let state = await page.evaluate(() => mmlab.lesson());
    assert.equal(state.outside, true);
    assert.equal(state.hash, fnv1a64(kOutsideLesson));
    assert.deepEqual(state.outsideLessons.map((l) => l.id), ['course-order-2']);
    const names = state.controls.map((c) => c.name);
    assert.ok(names.includes('outside_mark'), `the player marks it: ${names}`);
    assert.ok(names.includes('lesson_link'), `it offers a link to it: ${names}`);
    assert.equal(await page.evaluate(() => mmlab.notice()), '');
    assert.match(await page.evaluate(() => mmlab.history()), /^boot arch=toy ram=64K\n$/);

    // A student does its task in the console.
    await typeCommand(page, 'alloc_pages order=2 as=blk');
    await page.waitForFunction(() => mmlab.lesson().done[0] === true, null, { timeout: 10000 });
    await page.screenshot({ path: artifactPath('course-outside-lesson.png') });

    // The link that carries it.
    link = await page.evaluate(() => mmlab.lessonLink());
    assert.match(link, /#lesson-text=1\.[A-Za-z0-9_-]+&name=course-order-2$/);
    await page.evaluate(() => mmlab.saveProgress());

    // A broken lesson dropped on the page: the parser's line, nothing opened.
    const broken = kOutsideLesson.replace('check: allocated', 'check: allocated(');
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'broken lesson.md', { type: 'text/markdown' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
    }, broken);
    await page.waitForFunction(() => mmlab.notice() !== '', null, { timeout: 10000 });
    assert.match(await page.evaluate(() => mmlab.notice()),
                 /^The lesson file broken lesson\.md does not open: line 18: check: /);
    state = await page.evaluate(() => mmlab.lesson());
    assert.equal(state.outsideLessons.length, 1);
    assert.deepEqual(lab.problems, []);

    // The link, in a new page of the same browser: the lesson opens from
    // the link alone, with the progress kept under its hash.
    const second = await lab.context.newPage();
    await second.goto(link);
    await second.evaluate(() => window.mmlab.ready);
    await waitFrames(second, 3);
    state = await second.evaluate(() => mmlab.lesson());
    assert.equal(state.id, 'course-order-2');
    assert.equal(state.outside, true);
    assert.equal(state.hash, fnv1a64(kOutsideLesson));
    assert.equal(state.done[0], true, 'the progress follows the text (its hash)');
    await second.close();
  } finally {
    await lab.context.close();
  }

  // Damaged links say what is wrong in the lab's words.
  const cut = link.slice(0, link.indexOf('&name=') - 12);
  for (const [url, message] of [
    [cut, /^This lesson link is damaged or cut short: its data does not unpack\./],
    [env.site.url + '#lesson-text=1.Zm9vYmFy', /^This lesson link is damaged or cut short/],
    [env.site.url + '#lesson-text=garbage', /^This lesson link is damaged: it does not start/],
    [env.site.url + '#state=1.Zm9vYmFy', /^This share link is damaged or cut short/],
  ]) {
    const bad = await openLab(env.browser, url);
    try {
      const notice = await bad.page.evaluate(() => mmlab.notice());
      assert.match(notice, message, url);
      assert.doesNotMatch(notice, /Failed to fetch|TypeError/, url);
      assert.match(notice, /default machine/);
      assert.deepEqual(bad.problems, []);
    } finally {
      await bad.context.close();
    }
  }
});

// The steps of a shipped lesson as its file has them (lessons/ID.md): how
// many, and each task's solution by step number (from 1). Read from the
// Markdown itself, not from the lab.
function lessonTasks(id) {
  const lines = readFileSync(path.join(repoRoot, 'lessons', id + '.md'), 'utf8').split('\n');
  let steps = 0;
  let block = null;
  const tasks = {};
  for (const line of lines) {
    if (block === null && line.startsWith('## ')) steps++;
    else if (line.startsWith('```')) block = block === null ? line.slice(3).trim() : null;
    else if (block === 'task' && line.startsWith('solution: ')) tasks[steps] = line.slice(10).trim();
  }
  return { steps, tasks };
}

// Clicks the lesson player's control `name` where the last frame drew it;
// two frames later the move it asked for ran and the panel drew its result.
async function clickControl(page, name) {
  await waitFrames(page, 1);
  const { controls } = await page.evaluate(() => mmlab.lesson());
  const control = controls.find((c) => c.name === name);
  assert.ok(control, `the lesson panel draws ${name}; it has ${controls.map((c) => c.name)}`);
  await page.mouse.click(control.x + control.w / 2, control.y + control.h / 2);
  await waitFrames(page, 2);
}

// Opens lesson `id` at `step` with a deep link, as a student following one.
async function openStep(page, id, step) {
  await page.evaluate(([id, step]) => { location.hash = `#lesson=${id}&step=${step}`; }, [id, step]);
  await page.waitForFunction(([id, step]) => mmlab.lesson().id === id && mmlab.lesson().step === step,
                             [id, step], { timeout: 20000 });
}

// "Submit for grading": the file the page downloads, saved as `name`.
async function submit(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), clickControl(page, 'submit')]);
  assert.match(download.suggestedFilename(), /-submission\.txt$/);
  const file = artifactPath(name);
  await download.saveAs(file);
  return file;
}

// `mmlab --grade ID all FILE... --json`: one object per file and step.
function grade(id, files, options = []) {
  let stdout;
  try {
    stdout = execFileSync(cliPath(), ['--grade', id, 'all', ...files, '--json', ...options],
                          { encoding: 'utf8' });
  } catch (e) {
    stdout = e.stdout; // exit 1: some step fails
  }
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

test('every shipped task passes from a submission made in the page, and fails from one that skips', async () => {
  const lessons = ['buddy-allocator', 'nodes-and-zones', 'watermarks-and-gfp'];
  let tasksGraded = 0;
  const done = await openLab(env.browser, env.site.url);
  const skipped = await openLab(env.browser, env.site.url);
  try {
    for (const id of lessons) {
      const { steps, tasks } = lessonTasks(id);
      // A student completes the lesson: each task typed in the console,
      // each question left with Next (which shows its answer).
      const { page } = done;
      await openStep(page, id, 1);
      for (let step = 1; step <= steps; step++) {
        if (tasks[step]) {
          await typeCommand(page, tasks[step]);
          await page.waitForFunction((s) => mmlab.lesson().done[s - 1] === true, step,
                                     { timeout: 10000 });
        }
        await clickControl(page, 'next');
      }
      assert.equal((await page.evaluate(() => mmlab.lesson())).finished, true);
      const doneFile = await submit(page, `course-${id}-done.txt`);
      // Another jumps to the last step (the lab runs every earlier
      // solution) and finishes without doing a task.
      await openStep(skipped.page, id, steps);
      await clickControl(skipped.page, 'next');
      const skippedFile = await submit(skipped.page, `course-${id}-skipped.txt`);

      const rows = grade(id, [doneFile, skippedFile]);
      for (const step of Object.keys(tasks).map(Number)) {
        const row = (file) => rows.find((r) => r.file === file && r.step === step);
        assert.equal(row(doneFile)?.result, 'pass', `${id} step ${step} done: ${JSON.stringify(row(doneFile))}`);
        assert.equal(row(skippedFile)?.result, 'fail', `${id} step ${step} skipped: ${JSON.stringify(row(skippedFile))}`);
        tasksGraded++;
      }
    }
    assert.equal(tasksGraded, 12, 'the three lessons have 12 tasks');
    assert.deepEqual(done.problems, []);
    assert.deepEqual(skipped.problems, []);
  } finally {
    await done.context.close();
    await skipped.context.close();
  }
});

// A lesson that draws its numbers per student: the order and the name of
// the block each student allocates (core/lesson/variant.h).
const kVariantLesson = `---
title: Block {{name}} of order {{order}}
topic: From a course
position: 2
summary: Each student allocates a block of their own.
---

\`\`\`vars
order = range(1, 9)
name = pick(alpha, beta, gamma, delta, epsilon)
\`\`\`

## Your block

\`\`\`setup
boot arch=toy ram=4M
\`\`\`

\`\`\`task
goal: Allocate an order-{{order}} block named {{name}}.
check: allocated("{{name}}") && order_of("{{name}}") == {{order}}
hint: alloc_pages takes order=N and as=NAME.
solution: alloc_pages order={{order}} as={{name}}
\`\`\`
`;

// The link an instructor hands out: the lesson's text, raw deflate,
// base64url (lessons/README.md), and the course's salt.
function variantLink(extra) {
  const data = deflateRawSync(Buffer.from(kVariantLesson)).toString('base64url');
  return `${env.site.url}#lesson-text=1.${data}&name=my-block&salt=fall-2026${extra}`;
}

test('variants: two students draw different numbers, each does their own, the grader checks both', async () => {
  const drawn = {};
  for (const student of ['alice', 'bob']) {
    // Alice types her id into the player's prompt; Bob's link carries his.
    const lab = await openLab(env.browser, variantLink(student === 'bob' ? '&student=bob' : ''));
    try {
      const { page } = lab;
      await waitFrames(page, 3);
      if (student === 'alice') {
        const asked = await page.evaluate(() => mmlab.lesson());
        assert.notEqual(asked.askStudent, null, 'the player asks for the student id first');
        assert.equal(await page.evaluate(() => mmlab.notice()), '', 'asking is no failure');
        await clickControl(page, 'student');
        await page.keyboard.type('alice', { delay: 10 });
        await clickControl(page, 'student_start');
        await page.waitForFunction(() => mmlab.lesson().id === 'my-block', null, { timeout: 10000 });
      }
      const state = await page.evaluate(() => mmlab.lesson());
      assert.equal(state.outside, true);
      assert.equal(state.hash, fnv1a64(kVariantLesson), 'the hash is the template text\'s');
      assert.deepEqual(await page.evaluate(() => mmlab.student()), { student, salt: 'fall-2026' });
      const [, name, order] = /^Block (\w+) of order (\d+)$/.exec(state.title);
      drawn[student] = { name, order, seed: state.seed };
      await typeCommand(page, `alloc_pages order=${order} as=${name}`);
      await page.waitForFunction(() => mmlab.lesson().done[0] === true, null, { timeout: 10000 });
      assert.equal((await page.evaluate(() => mmlab.lesson())).status[0], 'unaided');
      const file = await submit(page, `my-block-${student}.txt`);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`^student: ${student}$`, 'm'));
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  }
  assert.notEqual(drawn.alice.seed, drawn.bob.seed);
  assert.notDeepEqual([drawn.alice.name, drawn.alice.order], [drawn.bob.name, drawn.bob.order],
                      JSON.stringify(drawn));

  // The grader recomputes each student's numbers from the roster and the
  // salt: both pass; Carol, who handed in a copy of Alice's file, fails.
  const lessonFile = artifactPath('my-block.md');
  writeFileSync(lessonFile, kVariantLesson);
  copyFileSync(artifactPath('my-block-alice.txt'), artifactPath('my-block-carol.txt'));
  const roster = artifactPath('my-block-roster.csv');
  writeFileSync(roster, 'student,file\nalice,my-block-alice.txt\nbob,my-block-bob.txt\n' +
                        'carol,my-block-carol.txt\n');
  const rows = grade(lessonFile, ['alice', 'bob', 'carol'].map((s) => artifactPath(`my-block-${s}.txt`)),
                     ['--roster', roster, '--salt', 'fall-2026']);
  const result = (s) => rows.find((r) => r.file.endsWith(`my-block-${s}.txt`) && r.step === 1);
  assert.equal(result('alice')?.result, 'pass', JSON.stringify(result('alice')));
  assert.equal(result('bob')?.result, 'pass', JSON.stringify(result('bob')));
  assert.equal(result('carol')?.result, 'fail', JSON.stringify(result('carol')));
});
