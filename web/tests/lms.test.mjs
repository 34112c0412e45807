// A course page and a learning management system, played by test pages:
// the SCORM 1.2 package of buddy-allocator (scripts/scorm.py) unzipped and
// launched in an iframe of a page that carries a minimal SCORM 1.2 runtime
// (window.API) recording what the lesson sets; and the lab embedded at
// 800x600 (#embed=1) in a course page that collects its postMessage events.
// The expected percents come from the lesson's text and the formula of
// core/lesson/session.h (1 per step done unaided, over the steps with a task
// or a question).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  artifactPath, launchBrowser, repoRoot, serveSite, siteDir,
} from './lab.mjs';

const kLesson = 'buddy-allocator';
const lessonText = readFileSync(path.join(repoRoot, 'lessons', kLesson + '.md'), 'utf8');
// Steps with a task or a question: every one of buddy-allocator's.
const graded = (lessonText.match(/^```(task|predict)$/gm) || []).length;
const steps = (lessonText.match(/^## /gm) || []).length;

// The LMS: a SCORM 1.2 API object that records every call, with the values
// an LMS gives a first launch; the SCO runs in the iframe.
const kLmsPage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>LMS</title><script>
window.lms = { values: {
  'cmi.core.student_id': 'student-42', 'cmi.core.student_name': 'Doe, Jane',
  'cmi.core.lesson_status': 'not attempted', 'cmi.core.entry': 'ab-initio',
  'cmi.student_data.mastery_score': '80', 'cmi.suspend_data': '',
  'cmi.core.score.raw': '', 'cmi.core.lesson_location': '' },
  calls: [], initialized: false, commits: 0, finishes: 0, error: '0' };
window.API = {
  LMSInitialize: function (a) { lms.calls.push('LMSInitialize'); lms.initialized = true; return 'true'; },
  LMSFinish: function (a) { lms.calls.push('LMSFinish'); lms.finishes++; lms.initialized = false; return 'true'; },
  LMSGetValue: function (k) { lms.calls.push('get ' + k); return k in lms.values ? lms.values[k] : ''; },
  LMSSetValue: function (k, v) {
    lms.calls.push('set ' + k);
    if (!lms.initialized) { lms.error = '301'; return 'false'; }
    if (typeof v !== 'string') { lms.error = '405'; return 'false'; }
    if (k === 'cmi.suspend_data' && v.length > 4096) { lms.error = '405'; return 'false'; }
    lms.values[k] = v; lms.error = '0'; return 'true'; },
  LMSCommit: function (a) { lms.calls.push('LMSCommit'); lms.commits++; return 'true'; },
  LMSGetLastError: function () { return lms.error; },
  LMSGetErrorString: function (c) { return 'error ' + c; },
  LMSGetDiagnostic: function (c) { return ''; },
};
</script></head><body style="margin:0">
<iframe id="sco" src="pkg/launch.html" style="border:0;width:1280px;height:800px"></iframe>
</body></html>`;

// The course page: the lab at 800x600 with a lesson and two panels.
const kEmbedHash = `#embed=1&lesson=${kLesson}&step=2&panels=map,console`;
const kCoursePage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Course</title><script>
window.messages = [];
window.addEventListener('message', function (e) {
  if (e.source === document.getElementById('lab').contentWindow && e.data && e.data.source === 'mmlab')
    window.messages.push(e.data);
});
</script></head><body style="margin:0">
<iframe id="lab" src="pkg/index.html${kEmbedHash}" width="800" height="600" style="border:0"
        title="mmlab"></iframe>
</body></html>`;

const env = {};
before(async () => {
  env.root = mkdtempSync(path.join(os.tmpdir(), 'mmlab-lms-'));
  const out = path.join(env.root, 'zips');
  execFileSync('python3', [path.join(repoRoot, 'scripts/scorm.py'), '--site', siteDir,
                           '--out', out], { encoding: 'utf8' });
  env.zip = path.join(out, `mmlab-${kLesson}-scorm12.zip`);
  // Unzipped as an LMS does, by Python's zipfile (node has no unzip).
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
                           env.zip, path.join(env.root, 'pkg')]);
  writeFileSync(path.join(env.root, 'lms.html'), kLmsPage);
  writeFileSync(path.join(env.root, 'course.html'), kCoursePage);
  writeFileSync(path.join(env.root, 'index.html'), // serveSite wants one
                '<a href="lms.html">LMS</a> <a href="course.html">course</a>\n');
  env.site = await serveSite(env.root);
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.site?.close();
  if (env.root) rmSync(env.root, { recursive: true, force: true });
});

// A new browser context on `page`, with the problems it reports.
async function open(file, viewport) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (/GL Driver Message/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(env.site.url + file);
  return { context, page, problems };
}

// The lab's frame once its mmlab.ready resolved.
async function labFrame(page, id) {
  await page.waitForFunction((id) => {
    const w = document.getElementById(id).contentWindow;
    return w && w.mmlab && w.location.pathname.endsWith('/index.html');
  }, id, { timeout: 60000 });
  const frame = page.frames().find((f) => f.url().includes('/pkg/index.html'));
  await frame.evaluate(() => window.mmlab.ready);
  return frame;
}

async function frames(frame, n) {
  const start = await frame.evaluate(() => mmlab.stats().frames);
  await frame.waitForFunction((t) => mmlab.stats().frames >= t, start + n, { polling: 16 });
}

// Clicks the lesson panel's control `name`, inside the iframe `id`.
async function click(page, frame, id, name) {
  await frames(frame, 2);
  const { controls } = await frame.evaluate(() => mmlab.lesson());
  const c = controls.find((c) => c.name === name);
  assert.ok(c, `the lesson panel draws ${name}`);
  const box = await page.locator('#' + id).boundingBox();
  await page.mouse.click(box.x + c.x + c.w / 2, box.y + c.y + c.h / 2);
  await frames(frame, 3);
}

test('the SCORM package reports status, score and progress to the LMS, and resumes', async () => {
  const manifest = execFileSync('python3', ['-c',
    'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("imsmanifest.xml").decode())',
    env.zip], { encoding: 'utf8' });
  assert.match(manifest, /xmlns="http:\/\/www\.imsproject\.org\/xsd\/imscp_rootv1p1p2"/);
  assert.match(manifest, /xmlns:adlcp="http:\/\/www\.adlnet\.org\/xsd\/adlcp_rootv1p2"/);
  assert.match(manifest, /<schemaversion>1\.2<\/schemaversion>/);
  assert.match(manifest, /<adlcp:masteryscore>80<\/adlcp:masteryscore>/);
  assert.match(manifest, /adlcp:scormtype="sco" href="launch\.html"/);
  for (const f of ['index.html', 'launch.html', 'mmlab.js', 'mmlab.wasm'])
    assert.match(manifest, new RegExp(`<file href="${f}"/>`));

  const { context, page, problems } = await open('lms.html', { width: 1280, height: 800 });
  try {
    let frame = await labFrame(page, 'sco');
    assert.equal((await frame.evaluate(() => mmlab.lesson())).id, kLesson);
    const scorm = await frame.evaluate(() => mmlab.scorm());
    assert.equal(scorm.connected, true);
    assert.equal(scorm.studentId, 'student-42');
    assert.equal(scorm.mastery, 80);
    let values = await page.evaluate(() => lms.values);
    assert.equal(values['cmi.core.lesson_status'], 'incomplete');
    assert.equal(values['cmi.core.score.raw'], '0');
    assert.equal(values['cmi.core.score.min'], '0');
    assert.equal(values['cmi.core.score.max'], '100');

    // Step 1 answered right at once (64 KiB: 16 frames), step 2's task done
    // by a command: 2 of `graded` steps unaided.
    await click(page, frame, 'sco', 'number');
    await page.keyboard.type('16', { delay: 15 });
    await click(page, frame, 'sco', 'answer');
    await click(page, frame, 'sco', 'next');
    await frame.evaluate(() => mmlab.run('cat /proc/buddyinfo'));
    const percent = String(Math.floor((100 * 2 * 2 + graded) / (2 * graded)));
    await page.waitForFunction((p) => lms.values['cmi.core.score.raw'] === p &&
                               /:2:uu/.test(lms.values['cmi.suspend_data']), percent,
                               { timeout: 10000 });
    values = await page.evaluate(() => lms.values);
    assert.equal(values['cmi.core.lesson_status'], 'incomplete');
    assert.equal(values['cmi.core.lesson_location'], '2');
    const suspend = values['cmi.suspend_data'];
    assert.match(suspend, new RegExp(`^mmlab1:[0-9a-f]{16}:2:uu\\.{${steps - 2}}$`));
    assert.ok(await page.evaluate(() => lms.commits) > 0);
    await page.screenshot({ path: artifactPath('scorm-lms.png') });

    // Relaunched with every step done (the rest shown) and the last step
    // open: the lesson resumes there, complete; 14% is below the mastery
    // score: failed. Leaving the first launch finished it, suspended.
    await page.evaluate((s) => {
      lms.values['cmi.suspend_data'] = s;
      lms.values['cmi.core.entry'] = 'resume';
      document.getElementById('sco').src = 'pkg/launch.html';
    }, suspend.replace(/:2:uu\.+$/, `:${steps}:uu${'x'.repeat(steps - 2)}`));
    await page.waitForFunction(() => lms.finishes === 1);
    values = await page.evaluate(() => lms.values);
    assert.equal(values['cmi.core.exit'], 'suspend');
    assert.match(values['cmi.core.session_time'], /^\d{4}:\d{2}:\d{2}\.\d{2}$/);
    frame = await labFrame(page, 'sco');
    const state = await frame.evaluate(() => mmlab.lesson());
    assert.equal(state.step, steps);
    assert.ok(state.done.every((d) => d));
    await page.waitForFunction(() => lms.values['cmi.core.lesson_status'] === 'failed',
                               null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => lms.values['cmi.core.score.raw']), percent);
    await frame.evaluate(() => mmlab.scormFinish());
    assert.equal(await page.evaluate(() => lms.finishes), 2);
    assert.equal(await page.evaluate(() => lms.values['cmi.core.exit']), '');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

function inside(r, area) {
  return r.x >= area.x - 1 && r.y >= area.y - 1 && r.x + r.w <= area.x + area.w + 1 &&
         r.y + r.h <= area.y + area.h + 1;
}

test('embedded at 800x600: the lesson and the chosen panels, and postMessage events', async () => {
  const { context, page, problems } = await open('course.html', { width: 1000, height: 700 });
  try {
    const frame = await labFrame(page, 'lab');
    await frames(frame, 5);
    const view = { x: 0, y: 0, w: 800, h: 600 };
    const windows = await frame.evaluate(() => mmlab.windows());
    assert.ok(!windows.some((w) => w.name === '##MainMenuBar'), 'no menu bar');
    const { panels } = await frame.evaluate(() => mmlab.layout());
    for (const name of ['lessons', 'map', 'console']) {
      const p = panels.find((p) => p.name === name);
      assert.equal(p.place, 'tile', `${name} is a tile`);
      assert.ok(p.w >= 200 && p.h >= 120, `${name} has room: ${JSON.stringify(p)}`);
      assert.ok(inside(p, view), `${name} lies within 800x600: ${JSON.stringify(p)}`);
    }
    for (const p of panels.filter((p) => !['lessons', 'map', 'console'].includes(p.name)))
      assert.equal(p.place, 'closed', `${p.name} is not shown`);
    const lesson = await frame.evaluate(() => mmlab.lesson());
    assert.equal(lesson.step, 2);
    const lessons = panels.find((p) => p.name === 'lessons');
    for (const name of ['next', 'back'])
      assert.ok(inside(lesson.controls.find((c) => c.name === name), lessons), `${name} unclipped`);

    // Step 2's task done, typed into the console (a click in the frame gives
    // it the keyboard): a step event and a score event follow the ready one.
    const console = panels.find((p) => p.name === 'console');
    await page.mouse.click(console.x + console.w / 2, console.y + console.h - 14);
    await frames(frame, 2);
    await page.keyboard.type('cat /proc/buddyinfo', { delay: 10 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => messages.some((m) => m.type === 'step'), null,
                               { timeout: 10000 });
    await page.waitForFunction(() => messages.filter((m) => m.type === 'score').length >= 1);
    const messages = await page.evaluate(() => messages);
    assert.deepEqual(messages[0], { source: 'mmlab', type: 'ready', lesson: kLesson, step: 2,
                                    steps, done: 1, percent: 0, complete: false });
    // Step 1 was passed by the deep link (shown): only step 2 counts, unaided.
    const percent = Math.floor((100 * 2 + graded) / (2 * graded));
    assert.deepEqual(messages.find((m) => m.type === 'step'),
                     { source: 'mmlab', type: 'step', lesson: kLesson, step: 2, status: 'unaided',
                       done: 2, steps, percent });
    assert.deepEqual(messages.filter((m) => m.type === 'score').pop(),
                     { source: 'mmlab', type: 'score', lesson: kLesson, percent, done: 2, steps,
                       complete: false, passed: false });
    await frames(frame, 3);
    await page.screenshot({ path: artifactPath('embed-800x600.png'),
                            clip: { x: 0, y: 0, width: 800, height: 600 } });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
