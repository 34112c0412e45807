// The page's core (wasm, built for speed) and the native mmlab make the same
// machine: for a fixed set of scripts, the digest of the whole machine state
// (lists in order, names, page flags, counters) after every command is the
// same in both. A difference in integer widths, sort stability or undefined
// behaviour between the two builds shows here first.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { nativeJson, openLab, useSiteAndBrowser } from './lab.mjs';

const env = useSiteAndBrowser();

const SCRIPTS = {
  'two nodes, movablecore and every zone':
    ['boot arch=x86_64 ram=4G nodes=2 cpus=4 movablecore=1G seed=7',
     'alloc_pages order=3 as=a', 'alloc_pages order=0 gfp=GFP_DMA as=d',
     'alloc_pages order=5 node=1 as=n1', 'alloc_pages order=9 gfp=GFP_HIGHUSER_MOVABLE as=m',
     'alloc_pages order=10 gfp=GFP_DMA32', 'free_pages n1', 'free_pages a',
     'sysctl -w vm.watermark_scale_factor=300', 'echo 65536 > /proc/sys/vm/min_free_kbytes',
     'alloc_pages order=10 gfp=GFP_ATOMIC', 'undo', 'free_pages m'],
  'i386 with high memory':
    ['boot arch=i386 ram=2G', 'alloc_pages order=4 gfp=GFP_HIGHUSER as=h',
     'alloc_pages order=2 as=l', 'echo 256 32 32 > /proc/sys/vm/lowmem_reserve_ratio',
     'alloc_pages order=10 gfp=GFP_KERNEL', 'free_pages h', 'undo', 'undo'],
  'the toy machine, split and merged':
    ['boot arch=toy ram=256K', 'alloc_pages as=x', 'alloc_pages order=1 as=y',
     'alloc_pages order=2 as=z', 'free_pages y', 'alloc_pages order=6', 'free_pages x',
     'alloc_pages order=3 gfp=GFP_ATOMIC|__GFP_NOWARN', 'free_pages z', 'undo', 'undo'],
  'a larger machine on four nodes':
    ['boot ram=16G nodes=4 cpus=8', 'alloc_pages order=10 node=3 as=big',
     'alloc_pages order=0 node=2 gfp=GFP_KERNEL|__GFP_THISNODE',
     'sysctl -w vm.min_free_kbytes=262144', 'free_pages big'],
};

// Each command followed by `digest`: the digests in order, one per command.
function withDigests(lines) {
  return lines.flatMap((line) => [line, 'digest']).join('\n');
}

function digestsOf(results) {
  return results.filter((r) => r.cmd === 'digest').map((r) => r.data.digest);
}

test('native and wasm give the same digest after every command of fixed scripts', async () => {
  const lab = await openLab(env.browser, env.site.url);
  try {
    for (const [name, lines] of Object.entries(SCRIPTS)) {
      const script = withDigests(lines);
      const native = nativeJson(script);
      const web = await lab.page.evaluate((s) => mmlab.run(s), script);
      assert.equal(web.length, native.length, name);
      // The scripts do what they say: every boot and free succeeds.
      for (const r of native)
        if (/^(boot|free_pages)\b/.test(r.cmd)) assert.ok(r.ok, `${name}: ${r.cmd}: ${r.error}`);
      const nd = digestsOf(native), wd = digestsOf(web);
      assert.equal(nd.length, lines.length, name);
      for (let i = 0; i < nd.length; i++)
        assert.equal(wd[i], nd[i], `${name}: after '${lines[i]}'`);
      // Different machines, different digests: the digest is not a constant.
      assert.ok(new Set(nd).size > lines.length / 2, `${name}: ${nd.join(' ')}`);
    }
    assert.deepEqual(lab.problems, []);
  } finally {
    await lab.context.close();
  }
});
