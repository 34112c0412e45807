// window.mmlab, the page's JavaScript API (docs/console.md, "In the
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
//   mmlab.lesson()                // {id, step, steps, done: [...], status: [...], answered: {...}, controls, lessons}
//   mmlab.saveState()             // "mmlab-state 2 level=1\nboot\n..." (what `mmlab --grade` reads)
//   mmlab.loadState(text)         // "" or why it does not load
//   await mmlab.shareLink()       // "http://.../#state=1.<base64url of deflate-raw(saveState())>"
//   mmlab.downloadState()         // saves saveState() as mmlab-state.txt
//   mmlab.saveProgress()          // progress and session to localStorage now (else within 0.5 s)
//   mmlab.notice()                // the last message about a link or a file ("" when none)
//
// On load, a fragment opens a state or a lesson step: #state=1.DATA (a share
// link) or #lesson=ID&step=N (a deep link); a link that cannot be opened
// shows why (#notice and the console panel) and the lab keeps the default
// machine. Without a fragment, or reloading the one it was opened with, the
// page resumes the session kept in localStorage (the machine's history and
// the open lesson step). mmlab.ready resolves after that.
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

  // Share links: "1." + base64url(deflate-raw(save_state text)).
  const kLinkFormat = 1;
  let lastNotice = '';

  function showNotice(text) {
    lastNotice = text;
    console.log('mmlab: ' + text);
    const el = document.getElementById('notice');
    if (el) {
      el.textContent = text;
      el.hidden = !text;
      el.title = 'Click to close';
      el.onclick = function () { el.hidden = true; };
    }
    if (isReady) callWithText(Module['_mmlab_note'], text);
  }

  function toBase64url(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it holds characters base64url does not use');
    let b = text.replace(/-/g, '+').replace(/_/g, '/');
    while (b.length % 4) b += '=';
    const s = atob(b);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }

  async function through(bytes, transform) {
    const stream = new Blob([bytes]).stream().pipeThrough(transform);
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function makeShareLink() {
    const text = new TextEncoder().encode(api.saveState());
    const packed = await through(text, new CompressionStream('deflate-raw'));
    return location.origin + location.pathname + location.search +
           '#state=' + kLinkFormat + '.' + toBase64url(packed);
  }

  // The save_state text in a share link's value ("1.DATA"), or throws an
  // Error whose message says what is wrong with the link.
  async function decodeShareLink(value) {
    const m = /^(\d+)\.(.*)$/s.exec(value);
    if (!m) throw new Error('This share link is damaged: it does not start with a format number.');
    const format = Number(m[1]);
    if (format > kLinkFormat) {
      throw new Error('This share link was made by a newer mmlab (link format ' + format +
                      '; this lab reads format ' + kLinkFormat + ' and older).');
    }
    if (format < 1) throw new Error('This share link is damaged: format ' + format + ' does not exist.');
    let text;
    try {
      const bytes = await through(fromBase64url(m[2]), new DecompressionStream('deflate-raw'));
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error('This share link is damaged or cut short (' + (e && e.message || e) + ').');
    }
    return text;
  }

  // Opens lesson `id` at `step` (from 1); `reach`: bring the machine there
  // first (a deep link), else keep it (a resumed session). "" or why not.
  function openLesson(id, step, reach) {
    return callWithText(function (ptr) {
      return Module['_mmlab_open_lesson'](ptr, step, reach ? 1 : 0);
    }, id);
  }

  // The tour's off switch. The fragment key `notour` (alone, or among a
  // link's keys: #lesson=ID&step=N&notour) and the stored setting
  // localStorage['mmlab.tour'] = 'off' turn it off; 'seen' is recorded once
  // it has been shown, so that it opens by itself on the first visit only.
  // A page embedded in another (an iframe) never opens it by itself either.
  // Help > Tour opens it whatever the setting.
  const kTourKey = 'mmlab.tour';
  const kNoTourKey = 'notour';

  function hasNoTourKey(hash) {
    return hash.split('&').some(function (part) {
      return part === kNoTourKey || part.startsWith(kNoTourKey + '=');
    });
  }

  // The fragment without the tour's key: the link it opens, which is what a
  // kept session remembers and compares with.
  function linkPart(hash) {
    if (!hasNoTourKey(hash)) return hash;
    return hash.split('&').filter(function (part) {
      return part !== kNoTourKey && !part.startsWith(kNoTourKey + '=');
    }).join('&');
  }

  function tourSetting() {
    try {
      return window.localStorage.getItem(kTourKey);
    } catch (e) {
      return 'off'; // no storage: it could not remember that the tour was seen
    }
  }

  function setTourSetting(value) {
    try { window.localStorage.setItem(kTourKey, value); } catch (e) { /* not allowed */ }
  }

  function isEmbedded() {
    try {
      return window.self !== window.top;
    } catch (e) {
      return true; // a cross-origin parent
    }
  }

  // Whether the tour opens by itself when the page has loaded.
  function tourOnLoad() {
    if (hasNoTourKey(location.hash.replace(/^#/, ''))) return false;
    if (isEmbedded()) return false;
    const setting = tourSetting();
    return setting !== 'off' && setting !== 'seen';
  }

  // Applies the page's fragment: a share link or a deep link into a lesson.
  async function openFragment(hash) {
    if (!hash) return;
    const params = new URLSearchParams(hash);
    const fallback = ' The lab opens the default machine.';
    if (params.has('state')) {
      try {
        const text = await decodeShareLink(params.get('state') || '');
        const error = api.loadState(text);
        if (error) throw new Error('This share link does not load: ' + error + '.');
        callWithText(Module['_mmlab_note'], 'Opened a share link: the history above made this machine.');
      } catch (e) {
        showNotice(e.message + fallback);
      }
    } else if (params.has('lesson')) {
      const step = params.has('step') ? Number(params.get('step')) : 1;
      const id = params.get('lesson') || '';
      let error;
      if (!Number.isInteger(step)) {
        error = 'the step is not a number: ' + params.get('step');
      } else {
        error = openLesson(id, step, true);
      }
      if (error) showNotice('This lesson link does not open: ' + error + '.' + fallback);
    }
  }

  // Lesson progress in localStorage: restored when the page opens, saved
  // whenever it changes (checked every half second and when the page hides).
  const kProgressKey = 'mmlab.progress';
  let savedProgress = null;

  function restoreProgress() {
    let stored = null;
    try {
      stored = window.localStorage.getItem(kProgressKey);
    } catch (e) {
      return; // no storage (a sandboxed frame): progress lasts for the visit
    }
    if (stored === null) return;
    const error = callWithText(Module['_mmlab_set_progress'], stored);
    if (error) {
      try { window.localStorage.removeItem(kProgressKey); } catch (e) { /* ignore */ }
      showNotice('The lesson progress kept in this browser could not be read (' + error +
                 ') and was discarded; lessons start afresh.');
    }
  }

  function saveProgress() {
    if (!isReady) return;
    const now = Module['UTF8ToString'](Module['_mmlab_progress']());
    if (now === savedProgress) return;
    savedProgress = now;
    try { window.localStorage.setItem(kProgressKey, now); } catch (e) { /* full or not allowed */ }
  }

  // The session (the machine's history and the open lesson step) is kept
  // too, so that a reload comes back where the student was; it remembers the
  // link the page was opened with, so that reloading a share or deep link
  // resumes it rather than opening it afresh.
  const kSessionKey = 'mmlab.session';
  let sessionFrom = '';

  function saveSession() {
    if (!isReady) return;
    const now = Module['UTF8ToString'](Module['_mmlab_session'](1));
    if (!now) return;
    const session = JSON.parse(now);
    session.from = sessionFrom;
    try { window.localStorage.setItem(kSessionKey, JSON.stringify(session)); } catch (e) { /* full or not allowed */ }
  }

  // The kept session as an object, null when there is none, or undefined
  // when what is kept is not JSON.
  function storedSession() {
    let text = null;
    try {
      text = window.localStorage.getItem(kSessionKey);
    } catch (e) {
      return null;
    }
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch (e) {
      return undefined;
    }
  }

  // Brings back a kept session, or discards it with a notice when it does
  // not load.
  function resumeSession(session) {
    let error = '';
    if (!session || typeof session !== 'object' || session.version !== 1 ||
        typeof session.state !== 'string') {
      error = 'not a session of format 1';
    } else {
      error = api.loadState(session.state);
      if (!error && typeof session.lesson === 'string' && Number.isInteger(session.step))
        error = openLesson(session.lesson, session.step, false);
    }
    if (error) {
      try { window.localStorage.removeItem(kSessionKey); } catch (e) { /* ignore */ }
      showNotice('The session kept in this browser could not be resumed (' + error +
                 ') and was discarded; the lab opens the default machine.');
      return;
    }
    if (api.history() !== '' || typeof session.lesson === 'string') {
      callWithText(Module['_mmlab_note'],
                   'Welcome back: the history above brought the machine back to where you left it.');
    }
  }

  // On load: a link opens afresh, unless it is the one the kept session
  // came from (a reload), which resumes; no link resumes the kept session.
  async function openPage() {
    const hash = linkPart(location.hash.replace(/^#/, ''));
    const session = storedSession();
    sessionFrom = hash;
    const from = session && typeof session === 'object' ? session.from : undefined;
    if (session !== null && (hash === '' || from === hash)) resumeSession(session);
    else await openFragment(hash);
  }

  function downloadState() {
    const blob = new Blob([api.saveState()], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'mmlab-state.txt';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  // Loads a state file chosen in the page's file input.
  async function loadStateFile(file) {
    const text = await file.text();
    const error = api.loadState(text);
    if (error) showNotice('The file ' + file.name + ' does not load: ' + error + '.');
    else showNotice('');
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
    // (from 1), done marks and statuses per step, answers, and where its
    // controls are.
    lesson: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_lesson']()));
    },
    // Test-only: the mean nanoseconds of one order-0 alloc_pages + free_pages
    // pair over `pairs` pairs (default 200000) on a 1 GiB machine of its own,
    // the loop of the wasm benchmark (bench/core_bench.cpp), timed in the page.
    benchAllocFree: function (pairs) {
      checkReady();
      return Module['_mmlab_bench_alloc_free'](pairs === undefined ? 200000 : pairs);
    },
    // The current state as save_state text ("mmlab-state 2 level=N" and the history).
    saveState: function () {
      checkReady();
      return Module['UTF8ToString'](Module['_mmlab_save_state']());
    },
    // Loads save_state text; returns "" or the one-line reason it does not
    // load (the machine is then left as it was).
    loadState: function (text) {
      checkReady();
      return callWithText(Module['_mmlab_load_state'], String(text));
    },
    // A link that opens the lab in the current state (a Promise).
    shareLink: function () {
      checkReady();
      return makeShareLink();
    },
    // Saves the current state as a file, mmlab-state.txt.
    downloadState: function () {
      checkReady();
      downloadState();
    },
    // Saves the lesson progress and the session (machine history, open
    // lesson step) to localStorage now (they also save themselves within
    // half a second of a change).
    saveProgress: function () {
      checkReady();
      saveProgress();
      saveSession();
    },
    // The last message about a link or a state file ("" when none).
    notice: function () {
      return lastNotice;
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
    restoreProgress();
    savedProgress = Module['UTF8ToString'](Module['_mmlab_progress']());
    openPage().catch(function (e) {
      showNotice('The link could not be opened: ' + (e && e.message || e));
    }).then(function () {
      const keep = function () { saveProgress(); saveSession(); };
      keep();
      setInterval(keep, 500);
      window.addEventListener('pagehide', keep);
      // A link pasted into the address bar of an open lab changes only the
      // fragment (no reload): open it as the page would on load.
      window.addEventListener('hashchange', function () {
        keep();
        const hash = linkPart(location.hash.replace(/^#/, ''));
        if (!hash) return;
        sessionFrom = hash;
        openFragment(hash).catch(function (e) {
          showNotice('The link could not be opened: ' + (e && e.message || e));
        });
      });
      resolveReady();
    });
  };
  // A menu item of the lab (ui::PlatformRequest): 1 share link, 2 download
  // the state, 3 load a state file.
  Module['mmlabPlatformRequest'] = function (request) {
    if (request === 1) {
      makeShareLink().then(function (link) {
        if (navigator.clipboard) navigator.clipboard.writeText(link).catch(function () {});
        showNotice('Share link: ' + link);
      }, function (e) {
        showNotice('No share link: ' + (e && e.message || e));
      });
    } else if (request === 2) {
      downloadState();
    } else if (request === 3) {
      const input = document.getElementById('state-file');
      if (input) input.click();
    }
  };
  const fileInput = document.getElementById('state-file');
  if (fileInput) {
    fileInput.addEventListener('change', function () {
      const file = fileInput.files && fileInput.files[0];
      fileInput.value = '';
      if (file) loadStateFile(file).catch(function (e) { showNotice(String(e && e.message || e)); });
    });
  }
  Module['mmlabFailed'] = function (reason) {
    showStatus('The lab could not start: ' + reason, true);
    rejectReady(new Error(reason));
  };
  Module['onAbort'] = function (what) {
    Module['mmlabFailed'](String(what));
  };
})();
