// The console through the page: mmlab.run gives the same objects as the
// native `mmlab --json`; typing into the console panel runs the command and
// shows its output; neither leaves the origin or logs an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  artifactPath, nativeJson, openLab, useSiteAndBrowser, waitFrames,
} from './lab.mjs';

const env = useSiteAndBrowser();

// A script that touches every command of the page allocator and the files.
const SCRIPT = [
  'boot arch=x86_64 ram=2G nodes=2',
  'alloc_pages order=3 as=a',
  'alloc_pages order=0 gfp=GFP_DMA',
  'alloc_pages order=11',
  'free_list zone=DMA order=0',
  'echo 2048 > /proc/sys/vm/min_free_kbytes',
  'cat /proc/buddyinfo /proc/zoneinfo /proc/meminfo /sys/kernel/debug/extfrag/unusable_index',
  'free_pages a',
  'sysctl -a',
  'history',
  'undo',
  'help alloc_pages',
].join('\n');

test('mmlab.run returns what the native mmlab --json prints', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const web = await lab.page.evaluate((s) => mmlab.run(s), SCRIPT);
    const native = nativeJson(SCRIPT);
    assert.equal(web.length, native.length);
    for (let i = 0; i < native.length; i++) {
      assert.equal(web[i].cmd, native[i].cmd);
      assert.equal(web[i].ok, native[i].ok, native[i].cmd);
      assert.equal(web[i].out, native[i].out, native[i].cmd);
      assert.equal(web[i].error, native[i].error, native[i].cmd);
      assert.deepEqual(web[i].data, native[i].data, native[i].cmd);
    }
    assert.equal(await lab.page.evaluate(() => mmlab.history()),
                 'boot arch=x86_64 ram=2G nodes=2\nalloc_pages order=3 as=a\nalloc_pages order=0 gfp=GFP_DMA\n' +
                 'echo 2048 > /proc/sys/vm/min_free_kbytes\n'); // undo took back free_pages a
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});

test('typing a command into the console panel shows its output', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    const { page } = lab;
    await page.evaluate(() => mmlab.run('boot arch=toy ram=64K'));
    await waitFrames(page, 3);
    const console = (await page.evaluate(() => mmlab.windows())).find((w) => w.name.startsWith('Console'));
    assert.ok(console, 'a Console panel is drawn');
    // The input line is at the bottom of the panel.
    await page.mouse.click(console.x + console.w / 2, console.y + console.h - 14);
    await waitFrames(page, 2);
    await page.keyboard.type('alloc_pages order=2 as=typed', { delay: 15 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => mmlab.history().includes('alloc_pages order=2 as=typed'),
                               null, { timeout: 10000 });
    await waitFrames(page, 3);
    const entries = await page.evaluate(() => mmlab.scrollback(3));
    const text = JSON.stringify(entries);
    assert.match(text, /alloc_pages order=2 as=typed/);
    assert.match(text, /pfn 0x0 order 2 from Node 0, zone Normal as typed/);
    await page.screenshot({ path: artifactPath('console-typed.png') });
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
