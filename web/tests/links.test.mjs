// Share links, deep links and state files: a share link
// (#state=1.<base64url of deflate-raw(save_state)>) opens the lab in the same
// state with the same history; a damaged, cut short or too-new link says why
// and leaves the default machine; #lesson=ID&step=N opens the lesson player
// at that step with the machine a student would have; the state downloads as
// a file that `mmlab --grade` reads and loads again through the page's file
// input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  artifactPath, cliPath, openLab, repoRoot, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

const kMachine = 'boot arch=toy ram=64K; alloc_pages order=1 as=a; alloc_pages as=b; free_pages a';

async function buddyinfo(page) {
  const [r] = await page.evaluate(() => mmlab.run('cat /proc/buddyinfo'));
  assert.equal(r.ok, true);
  return r.out;
}

async function defaultMachine() {
  const lab = await openLab(env.browser, env.site.url);
  try {
    return { history: await lab.page.evaluate(() => mmlab.history()), buddyinfo: await buddyinfo(lab.page) };
  } finally {
    await lab.context.close();
  }
}

test('a share link opens the same state with the same history', async () => {
  const first = await openLab(env.browser, env.site.url);
  let link, history, info;
  try {
    const { page } = first;
    const results = await page.evaluate((t) => mmlab.run(t), kMachine);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    history = await page.evaluate(() => mmlab.history());
    assert.match(history, /^boot arch=toy ram=64K\nalloc_pages order=1 as=a\n/);
    info = await buddyinfo(page);
    link = await page.evaluate(() => mmlab.shareLink());
    assert.match(link, /#state=1\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(first.problems, []);
  } finally {
    await first.context.close();
  }

  const second = await openLab(env.browser, link);
  try {
    const { page } = second;
    await waitFrames(page, 3);
    assert.equal(await page.evaluate(() => mmlab.history()), history);
    assert.equal(await buddyinfo(page), info);
    assert.equal(await page.evaluate(() => mmlab.notice()), '');
    // The history shows in the console panel, as commands.
    const cmds = (await page.evaluate(() => mmlab.scrollback(40)))
      .filter((e) => e.kind === 'command').map((e) => e.cmd);
    for (const line of history.trim().split('\n')) assert.ok(cmds.includes(line), `${line} in ${cmds}`);
    assert.deepEqual(second.problems, []);
  } finally {
    await second.context.close();
  }
});

test('a damaged, cut short or too-new link says why and opens the default machine', async () => {
  const fresh = await defaultMachine();
  // A real link, cut short.
  const maker = await openLab(env.browser, env.site.url);
  let good;
  try {
    await maker.page.evaluate((t) => mmlab.run(t), kMachine);
    good = await maker.page.evaluate(() => mmlab.shareLink());
  } finally {
    await maker.context.close();
  }
  const cut = good.slice(0, good.length - 6);
  const cases = [
    [env.site.url + '#state=1.garbage!!', /damaged/],
    [env.site.url + '#state=1.Zm9vYmFy', /damaged or cut short/],
    [cut, /damaged or cut short|does not load/],
    [env.site.url + '#state=9.AAAA', /newer mmlab.*format 9/],
    [env.site.url + '#state=nonsense', /damaged/],
  ];
  for (const [url, message] of cases) {
    const lab = await openLab(env.browser, url);
    try {
      const { page } = lab;
      await waitFrames(page, 3);
      const notice = await page.evaluate(() => mmlab.notice());
      assert.match(notice, message, url);
      assert.match(notice, /default machine/);
      assert.equal(await page.locator('#notice').textContent(), notice);
      assert.equal(await page.locator('#notice').isVisible(), true);
      const notes = (await page.evaluate(() => mmlab.scrollback(10))).filter((e) => e.kind === 'note');
      assert.ok(notes.some((n) => n.cmd === notice), 'the console panel shows the message');
      assert.equal(await page.evaluate(() => mmlab.history()), fresh.history);
      assert.equal(await buddyinfo(page), fresh.buddyinfo);
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  }
  // A well-formed link whose state is from a newer mmlab.
  const lab = await openLab(env.browser, env.site.url);
  try {
    const link = await lab.page.evaluate(async () => {
      const text = new TextEncoder().encode('mmlab-state 7\nboot\n');
      const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return location.origin + location.pathname + '#state=1.' +
             btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    });
    const other = await openLab(env.browser, link);
    try {
      const notice = await other.page.evaluate(() => mmlab.notice());
      assert.match(notice, /does not load: .*7/);
      assert.equal(await other.page.evaluate(() => mmlab.history()), fresh.history);
    } finally {
      await other.context.close();
    }
  } finally {
    await lab.context.close();
  }
});

test('a deep link opens a lesson step with the machine a student would have', async () => {
  const lab = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=7');
  try {
    const { page } = lab;
    await waitFrames(page, 5);
    const state = await page.evaluate(() => mmlab.lesson());
    assert.equal(state.id, 'buddy-allocator');
    assert.equal(state.step, 7);
    const history = await page.evaluate(() => mmlab.history());
    assert.match(history, /^boot arch=toy ram=64K\n/);
    // Step 7's setup ran once, after the earlier steps (step 2's solution
    // changes nothing, so it is not in the history).
    assert.match(history, /alloc_pages as=x\nalloc_pages as=y\n$/);
    assert.equal(history.split('alloc_pages as=x\n').length, 2, history);
    const windows = await page.evaluate(() => mmlab.windows());
    assert.ok(windows.some((w) => w.name === 'Lessons###lessons' && !w.collapsed));
    assert.equal(await page.evaluate(() => mmlab.notice()), '');
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
  // A step that does not exist: a message and the default machine.
  const fresh = await defaultMachine();
  const bad = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=99');
  try {
    assert.match(await bad.page.evaluate(() => mmlab.notice()), /steps 1 to \d+, not 99/);
    assert.equal(await bad.page.evaluate(() => mmlab.history()), fresh.history);
  } finally {
    await bad.context.close();
  }
});

test('lesson progress survives a reload; a corrupted store is discarded with a notice', async () => {
  const lab = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=2');
  try {
    const { page } = lab;
    await waitFrames(page, 5);
    let state = await page.evaluate(() => mmlab.lesson());
    assert.equal(state.step, 2);
    assert.equal(state.done[1], false);
    // Step 2's task: print /proc/buddyinfo.
    await page.evaluate(() => mmlab.run('cat /proc/buddyinfo'));
    await page.waitForFunction(() => mmlab.lesson().done[1] === true, null, { polling: 50 });
    await page.evaluate(() => mmlab.saveProgress());
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('mmlab.progress')));
    assert.equal(stored.lessons['buddy-allocator'].steps[1].done, true);

    await page.reload();
    await page.evaluate(() => mmlab.ready);
    await waitFrames(page, 3);
    state = await page.evaluate(() => mmlab.lesson());
    const buddy = state.lessons.find((l) => l.id === 'buddy-allocator');
    // Step 1, which the link passed (its reveal ran), counts as shown.
    assert.equal(buddy.doneSteps, 2, 'the done steps are kept after a reload');
    assert.equal(state.done[1], true);
    assert.equal(await page.evaluate(() => mmlab.notice()), '');

    // Garbage in the store: a notice, no crash, progress starts afresh.
    for (const garbage of ['{not json', '{"version":1,"lessons":{"buddy-allocator":{"steps":[{"done":"yes"}]}}}',
                           '[1,2,3]', '{"version":99}']) {
      // (The live page saves what it has when it is left: save first, so
      // that its last save does not overwrite the garbage.)
      await page.evaluate(() => mmlab.saveProgress());
      await page.evaluate((g) => localStorage.setItem('mmlab.progress', g), garbage);
      await page.goto(env.site.url);
      await page.evaluate(() => mmlab.ready);
      await waitFrames(page, 3);
      assert.match(await page.evaluate(() => mmlab.notice()), /could not be read.*discarded/, garbage);
      state = await page.evaluate(() => mmlab.lesson());
      assert.ok(state.lessons.every((l) => l.doneSteps === 0), garbage);
      assert.equal(await page.evaluate(() => localStorage.getItem('mmlab.progress')) === garbage, false);
      const [r] = await page.evaluate(() => mmlab.run('cat /proc/buddyinfo'));
      assert.equal(r.ok, true, 'the lab still runs commands');
    }
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('a reload resumes the machine and the open lesson step; a new link opens afresh', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await waitFrames(page, 3);
    await page.evaluate((t) => mmlab.run(t), kMachine);
    const history = await page.evaluate(() => mmlab.history());
    const info = await buddyinfo(page);
    await page.evaluate(() => mmlab.saveProgress());

    // A reload of the bare page: the same machine, its history in the console.
    await page.reload();
    await page.evaluate(() => mmlab.ready);
    await waitFrames(page, 3);
    assert.equal(await page.evaluate(() => mmlab.history()), history);
    assert.equal(await buddyinfo(page), info);
    const notes = await page.evaluate(() => mmlab.scrollback(40));
    assert.ok(JSON.stringify(notes).includes('Welcome back'), JSON.stringify(notes));

    // A deep link opens afresh; the student works; a reload of that same
    // link comes back to their work, not to the link's starting point.
    // (Only the fragment changes: the page opens it without a reload.)
    await page.goto(env.site.url + '#lesson=buddy-allocator&step=3');
    await page.evaluate(() => mmlab.ready);
    await page.waitForFunction(() => mmlab.lesson().id === 'buddy-allocator' && mmlab.lesson().step === 3,
                               null, { polling: 50 });
    await waitFrames(page, 5);
    assert.notEqual(await page.evaluate(() => mmlab.history()), history, 'the link opened afresh');
    await page.evaluate(() => mmlab.run('alloc_pages order=2 as=mine'));
    const worked = await page.evaluate(() => mmlab.history());
    await page.evaluate(() => mmlab.saveProgress());
    await page.reload();
    await page.evaluate(() => mmlab.ready);
    await waitFrames(page, 5);
    assert.equal(await page.evaluate(() => mmlab.history()), worked);
    const state = await page.evaluate(() => mmlab.lesson());
    assert.equal(state.id, 'buddy-allocator');
    assert.equal(state.step, 3);
    assert.equal(await page.evaluate(() => mmlab.history()), worked, 'no setup ran again');

    // A state loaded over another is kept too, even though the new lab's
    // counters (commands run, history length) equal the old one's.
    await page.goto(env.site.url);
    await page.evaluate(() => mmlab.ready);
    assert.equal(await page.evaluate(() => mmlab.loadState('mmlab-state 1\nboot\nalloc_pages as=a\n')), '');
    await page.evaluate(() => mmlab.saveProgress());
    assert.equal(await page.evaluate(() => mmlab.loadState('mmlab-state 1\nboot\nalloc_pages order=3 as=b\n')), '');
    await page.evaluate(() => mmlab.saveProgress());
    await page.reload();
    await page.evaluate(() => mmlab.ready);
    assert.equal(await page.evaluate(() => mmlab.history()), 'boot\nalloc_pages order=3 as=b\n');

    // A damaged session: a notice, the default machine. (Save first, so that
    // the page's own save when it is left does not overwrite the damage.)
    await page.evaluate(() => mmlab.saveProgress());
    await page.evaluate(() => localStorage.setItem('mmlab.session', '{"version":1,"state":"mmlab-state 1\nfrob\n"}'));
    await page.goto(env.site.url);
    await page.evaluate(() => mmlab.ready);
    await waitFrames(page, 3);
    assert.match(await page.evaluate(() => mmlab.notice()), /session kept in this browser could not be resumed.*discarded/);
    assert.equal(await page.evaluate(() => mmlab.history()), '');
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('a loaded state runs as commands: undo goes back to the machine before it', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await waitFrames(page, 3);
    const made = await page.evaluate(() => mmlab.run('boot ram=4G nodes=2; alloc_pages as=q'));
    assert.ok(made.every((r) => r.ok), JSON.stringify(made));
    const before = await page.evaluate(() => mmlab.history());
    const state = 'mmlab-state 1\nboot arch=toy ram=64K\nalloc_pages order=1 as=a\n';
    assert.equal(await page.evaluate((t) => mmlab.loadState(t), state), '');
    assert.equal(await page.evaluate(() => mmlab.history()), 'boot arch=toy ram=64K\nalloc_pages order=1 as=a\n');
    const undone = await page.evaluate(() => mmlab.run('undo; undo'));
    assert.ok(undone.every((r) => r.ok), JSON.stringify(undone));
    assert.equal(await page.evaluate(() => mmlab.history()), before);
    // A state of the default machine (no boot in it) boots it first, as a command.
    assert.equal(await page.evaluate(() => mmlab.loadState('mmlab-state 1\nalloc_pages as=d\n')), '');
    assert.equal(await page.evaluate(() => mmlab.history()), 'boot\nalloc_pages as=d\n');
    const cmds = (await page.evaluate(() => mmlab.scrollback(3))).map((e) => e.cmd);
    assert.deepEqual(cmds.slice(-2), ['boot', 'alloc_pages as=d']);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('the state downloads as a file that mmlab --grade reads, and loads again', async () => {
  const lab = await openLab(env.browser, env.site.url + '#lesson=buddy-allocator&step=7');
  let file, history;
  try {
    const { page } = lab;
    await waitFrames(page, 5);
    const [r] = await page.evaluate(() => mmlab.run('free_pages x'));
    assert.equal(r.ok, true);
    history = await page.evaluate(() => mmlab.history());
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => mmlab.downloadState()),
    ]);
    assert.equal(download.suggestedFilename(), 'mmlab-state.txt');
    file = artifactPath('links-state.txt');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    assert.equal(text, await page.evaluate(() => mmlab.saveState()));
    assert.match(text, /^mmlab-state 2 level=2\nboot arch=toy ram=64K\n/);
    assert.ok(text.endsWith('free_pages x\n'), text);
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }

  // The native grader reads it: step 7's task holds.
  const out = execFileSync(cliPath(), ['--grade', 'buddy-allocator', '7', file],
                           { cwd: repoRoot, encoding: 'utf8' });
  assert.match(out, /PASS/);

  // Load it through the page's file input, into a lab that has done other things.
  const other = await openLab(env.browser, env.site.url);
  try {
    const { page } = other;
    await page.evaluate(() => mmlab.run('boot ram=4G nodes=2'));
    await page.setInputFiles('#state-file', file);
    await page.waitForFunction((h) => mmlab.history() === h, history, { polling: 50, timeout: 10000 });
    assert.equal(await page.evaluate(() => mmlab.notice()), '');
    // A file that is not a state: a message, the machine left as it was.
    const bad = artifactPath('links-bad-state.txt');
    writeFileSync(bad, 'mmlab-state 5\nboot\n');
    await page.setInputFiles('#state-file', bad);
    await page.waitForFunction(() => mmlab.notice() !== '', null, { polling: 50, timeout: 10000 });
    assert.match(await page.evaluate(() => mmlab.notice()), /links-bad-state\.txt does not load: .*5/);
    assert.equal(await page.evaluate(() => mmlab.history()), history);
    assert.deepEqual(other.problems, []);
  } finally {
    await other.context.close();
  }
});

// Opens the Machine menu and clicks its item `name` (mmlab.stats().menuControls).
async function clickMenuItem(page, name) {
  await page.mouse.click(30, 10);
  await waitFrames(page, 3);
  const { menuControls } = await page.evaluate(() => mmlab.stats());
  const item = menuControls.find((c) => c.name === name);
  assert.ok(item, `the Machine menu draws ${name}: ${JSON.stringify(menuControls)}`);
  await page.mouse.click(item.x + item.w / 2, item.y + item.h / 2);
  await waitFrames(page, 3);
}

test('the Machine menu makes a share link, downloads and loads the state', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await waitFrames(page, 3);
    await page.evaluate((t) => mmlab.run(t), kMachine);
    await clickMenuItem(page, 'share_link');
    await page.waitForFunction(() => mmlab.notice().startsWith('Share link: '), null, { polling: 50 });
    const link = (await page.evaluate(() => mmlab.notice())).slice('Share link: '.length);
    assert.equal(link, await page.evaluate(() => mmlab.shareLink()));
    const notes = (await page.evaluate(() => mmlab.scrollback(5))).filter((e) => e.kind === 'note');
    assert.ok(notes.some((n) => n.cmd.includes(link)), 'the console panel shows the link');

    const [download] = await Promise.all([page.waitForEvent('download'),
                                          clickMenuItem(page, 'download_state')]);
    assert.equal(download.suggestedFilename(), 'mmlab-state.txt');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
                                         clickMenuItem(page, 'load_state')]);
    assert.ok(chooser, 'Load state... opens the file chooser');
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
