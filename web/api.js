// window.mmlab, the page's JavaScript API (../shared/CONSOLE.md, "In the
// page"), and the Emscripten module's settings. Linked into mmlab.js with
// --pre-js, so it runs in the module's scope before the wasm loads; the C side
// is web/bridge.cpp.
//
//   await mmlab.ready;            // the lab takes commands
//   mmlab.run('boot; cat /proc/buddyinfo')  // [{cmd, ok, out, error, data}, ...]
//   mmlab.history()               // "boot\n..."
//   mmlab.stats()                 // {frames, cpuMs, width, height, glVersion, ...}
//   mmlab.windows()               // [{name, x, y, w, h, collapsed}, ...]
//   mmlab.scrollback(5)           // the console panel's last 5 entries
//   mmlab.lesson()                // {id, step, steps, done: [...], answered: {...}, controls, lessons}
(function () {
  'use strict';
  let resolveReady;
  let rejectReady;
  let isReady = false;
  const ready = new Promise(function (resolve, reject) {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Nobody may have awaited it yet: a failure still shows on the page.
  ready.catch(function () {});

  function showStatus(text, isError) {
    const el = document.getElementById('loading');
    if (!el) return;
    if (text === null) {
      el.remove();
      return;
    }
    el.textContent = text;
    if (isError) el.className = 'error';
  }

  function checkReady() {
    if (!isReady) throw new Error('mmlab is not ready yet: await mmlab.ready first');
  }

  // Calls an exported C function with `text` copied into the wasm heap;
  // returns its result string.
  function callWithText(fn, text) {
    const size = Module['lengthBytesUTF8'](text) + 1;
    const ptr = Module['_malloc'](size);
    try {
      Module['stringToUTF8'](text, ptr, size);
      return Module['UTF8ToString'](fn(ptr));
    } finally {
      Module['_free'](ptr);
    }
  }

  const api = {
    ready: ready,
    // Runs one or more commands as the console panel does (they appear there
    // too); returns one `mmlab --json` object per command.
    run: function (text) {
      checkReady();
      return JSON.parse(callWithText(Module['_mmlab_run'], String(text)));
    },
    // The history that made the current state, one command per line.
    history: function () {
      checkReady();
      return Module['UTF8ToString'](Module['_mmlab_history']());
    },
    // Frame and size figures, for tests.
    stats: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_stats']()));
    },
    // The last `count` (default 20) entries of the console panel, for tests.
    scrollback: function (count) {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_scrollback'](count === undefined ? 20 : count)));
    },
    // The panels drawn in the last frame and where they are (CSS pixels), for tests.
    windows: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_windows']()));
    },
    // The lesson player: the open lesson (id null in the picker), its step
    // (from 1), done marks per step, answers, and where its controls are.
    lesson: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_lesson']()));
    },
  };
  Object.defineProperty(window, 'mmlab', { value: Object.freeze(api), enumerable: true });

  Module['canvas'] = document.getElementById('canvas');
  Module['print'] = function (text) { console.log(text); };
  Module['printErr'] = function (text) { console.warn(text); };
  // Called by web/bridge.cpp after the first frame.
  Module['mmlabReady'] = function () {
    isReady = true;
    showStatus(null);
    resolveReady();
  };
  Module['mmlabFailed'] = function (reason) {
    showStatus('The lab could not start: ' + reason, true);
    rejectReady(new Error(reason));
  };
  Module['onAbort'] = function (what) {
    Module['mmlabFailed'](String(what));
  };
})();
