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
//   mmlab.lesson()                // {id, step, steps, done: [...], status: [...], answered: {...}, finished, score, controls, lessons}
//   mmlab.saveState()             // "mmlab-state 2 level=1\nboot\n..." (what `mmlab --grade` reads)
//   mmlab.loadState(text)         // "" or why it does not load
//   await mmlab.shareLink()       // "http://.../#state=1.<base64url of deflate-raw(saveState())>"
//   mmlab.downloadState()         // saves saveState() as mmlab-state.txt
//   mmlab.submission()            // "mmlab-submission 1\n...": the open lesson's, for `mmlab --grade`
//   mmlab.downloadSubmission()    // saves it as ID-submission.txt ("Submit for grading")
//   mmlab.saveProgress()          // progress and session to localStorage now (else within 0.5 s)
//   mmlab.notice()                // the last message about a link or a file ("" when none)
//   mmlab.tour()                  // {open, step, steps, setting}: the first-visit tour
//   mmlab.reader()                // {open, title, text}: the reader overlay of long output
//   mmlab.timings()               // {phases: [{name, ms}], marks, wasm, totalMs}: the load's breakdown
//   mmlab.report()                // the open lesson for a course page or an LMS: {lesson, step, steps, done, status, percent, mastery, complete, suspend} (web/embed.js)
//   mmlab.scorm()                 // the SCORM 1.2 runtime's state: {on, connected, studentId, studentName, status, score, mastery, ...} (web/scorm.js)
//   await mmlab.openLessonText(text, name)  // "" or why not: a lesson from outside the site
//   await mmlab.lessonLink()      // "http://.../#lesson-text=1.<base64url of deflate-raw(text)>&name=ID"
//   mmlab.setStudent(id, salt)    // "" or why not: the student of lessons with variants
//   mmlab.student()               // {student, salt}
//
// On load, a fragment opens a state or a lesson step: #state=1.DATA (a share
// link), #lesson=ID&step=N (a deep link) or #lesson-text=1.DATA&name=ID (a
// lesson from outside the site, carried whole), each with student=ID and
// salt=S for lessons whose numbers are drawn per student; a link that cannot be opened
// shows why (#notice and the console panel) and the lab keeps the default
// machine. Without a fragment, or reloading the one it was opened with, the
// page resumes the session kept in localStorage (the machine's history and
// the open lesson step). mmlab.ready resolves after that.
(function () {
  'use strict';
  // Where the time to mmlab.ready goes: performance marks named "mmlab:...",
  // here, in index.html (the wasm's fetch and compile) and from C++
  // (web::mark in web/main.cpp); mmlab.timings() turns them into phases.
  // A phase is the time from one mark to the next, named by what ended
  // then: the wasm's fetch and compile run beside mmlab.js's, so their order
  // varies, and the phases add up to the time to mmlab.ready.
  const kPhaseNames = {
    'mmlab:wasm-start': 'page',
    'mmlab:script': 'mmlab.js fetched and run',
    'mmlab:wasm-fetched': 'mmlab.wasm fetched',
    'mmlab:wasm-compiled': 'mmlab.wasm compiled',
    'mmlab:wasm-instantiated': 'mmlab.wasm instantiated',
    'mmlab:main': 'runtime start',
    'mmlab:gl-context': 'GL context',
    'mmlab:imgui': 'imgui backends',
    'mmlab:boot': 'default boot',
    'mmlab:lessons': 'lesson parsing',
    'mmlab:first-frame-start': 'wait for the first frame',
    'mmlab:fonts': 'font atlas',
    'mmlab:first-frame': 'first frame',
    'mmlab:progress': 'stored progress',
    'mmlab:ready': 'link or session',
  };
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }
  mark('mmlab:script');

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

  // The wasm module index.html began to fetch and compile before this script
  // loaded (window.mmlabWasm: {module: a Promise, how: 'streaming' or
  // 'arraybuffer'}); without it (another page hosting mmlab.js) Emscripten
  // loads mmlab.wasm itself.
  if (window.mmlabWasm) {
    Module['instantiateWasm'] = function (imports, receiveInstance) {
      window.mmlabWasm.module.then(function (module) {
        return WebAssembly.instantiate(module, imports).then(function (instance) {
          mark('mmlab:wasm-instantiated');
          const text = document.getElementById('load-text');
          if (text) text.textContent = 'Starting the lab\u2026';
          receiveInstance(instance, module);
        });
      }).catch(function (e) {
        // Opened from disk, index.html already says how to serve the page.
        if (window.mmlabWasm.fromDisk) rejectReady(e);
        else Module['mmlabFailed'](wasmProblem(e));
      });
      return {}; // the exports come later, through receiveInstance
    };
  }

  // Why mmlab.wasm did not load, in the lab's words: the browser's own
  // messages ("Failed to fetch") say nothing a student can act on.
  function wasmProblem(e) {
    const message = String(e && e.message || e);
    if (/^mmlab\.wasm: HTTP 404\b/.test(message)) {
      return 'mmlab.wasm is not next to this page (HTTP 404): the folder served must hold ' +
             'index.html, mmlab.js and mmlab.wasm together.';
    }
    if (/^mmlab\.wasm: HTTP /.test(message)) {
      return 'the server refused mmlab.wasm (' + message.slice(12) + '): reload the page, or ' +
             'ask whoever serves it.';
    }
    if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
      return 'mmlab.wasm is damaged or does not belong with this mmlab.js: build the site again ' +
             '(or download it whole again).';
    }
    return 'mmlab.wasm could not be fetched: the server that sent this page did not answer ' +
           '(stopped, or the network is down). Reload the page once it runs again.';
  }

  // The phases of loading so far, from the page's performance marks:
  // {phases: [{name, ms}], marks: {name: ms since navigation}, wasm: how it
  // was compiled ('streaming' or 'arraybuffer'), totalMs: to mmlab.ready}.
  function timings() {
    const marks = {};
    const order = [];
    for (const m of performance.getEntriesByType('mark')) {
      if (!(m.name in kPhaseNames) || m.name in marks) continue;
      marks[m.name] = m.startTime;
      order.push(m.name);
    }
    order.sort(function (a, b) { return marks[a] - marks[b]; });
    const phases = [];
    let from = 0;
    for (let i = 0; i < order.length; i++) {
      phases.push({ name: kPhaseNames[order[i]],
                    ms: Math.round((marks[order[i]] - from) * 10) / 10 });
      from = marks[order[i]];
    }
    return { phases: phases, marks: marks, wasm: window.mmlabWasm ? window.mmlabWasm.how : '',
             totalMs: 'mmlab:ready' in marks ? Math.round(marks['mmlab:ready'] * 10) / 10 : null };
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

  // The same with two strings: fn(ptrA, ptrB).
  function callWithTexts(fn, a, b) {
    return callWithText(function (ptrA) {
      const size = Module['lengthBytesUTF8'](b) + 1;
      const ptrB = Module['_malloc'](size);
      try {
        Module['stringToUTF8'](b, ptrB, size);
        return fn(ptrA, ptrB);
      } finally {
        Module['_free'](ptrB);
      }
    }, a);
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

  // The page's address without its fragment. Opened from disk (the
  // single-file build), location.origin is "null": use the whole file URL.
  function pageAddress() {
    return location.href.replace(/#.*$/s, '');
  }

  async function makeShareLink() {
    return pageAddress() + '#state=' + kLinkFormat + '.' + await packLinkData(api.saveState());
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
    return unpackLinkData(m[2], 'This share link');
  }

  // The text packed in a link's DATA (base64url of deflate-raw of UTF-8
  // text), or throws an Error saying, in the lab's words, which layer is
  // wrong: the browser's own messages ("Failed to fetch" for a deflate
  // stream cut short) mean nothing to a student. `what`: "This share link".
  async function unpackLinkData(data, what) {
    let packed;
    try {
      packed = fromBase64url(data);
    } catch (e) {
      throw new Error(what + ' is damaged: ' +
                      (/characters/.test(e.message) ? e.message
                                                    : 'its data is not whole base64url') +
                      '. Copy the whole link again.');
    }
    let bytes;
    try {
      bytes = await through(packed, new DecompressionStream('deflate-raw'));
    } catch (e) {
      throw new Error(what + ' is damaged or cut short: its data does not unpack. Copy the ' +
                      'whole link again; links cut at a line break in an email often lose ' +
                      'their end.');
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error(what + ' is damaged: its data unpacks to something that is not text.');
    }
  }

  // Packs text for a link: base64url of deflate-raw of its UTF-8 bytes.
  async function packLinkData(text) {
    return toBase64url(await through(new TextEncoder().encode(text),
                                     new CompressionStream('deflate-raw')));
  }

  // Opens lesson `id` at `step` (from 1); `reach`: bring the machine there
  // first (a deep link), else keep it (a resumed session). "" or why not.
  function openLesson(id, step, reach) {
    return callWithText(function (ptr) {
      return Module['_mmlab_open_lesson'](ptr, step, reach ? 1 : 0);
    }, id);
  }

  // Lessons from outside the site: a file the student opened (the Lessons
  // menu's file input, or dropped on the page) or a link carrying the text
  // (#lesson-text=1.DATA&name=ID). Parsed by the lab with no rebuild, marked
  // "not from this site" by the player. localStorage keeps each one under
  // its content hash (mmlab.lesson.HASH: {version, name, text, progress}),
  // so that its progress follows its text, whatever it is called, and a
  // reload can open it again.
  const kLessonKeyPrefix = 'mmlab.lesson.';
  const kLessonLinkFormat = 1;
  const outsideLessons = {}; // lesson index -> {hash, name, text, saved: progress last stored}

  function storedLesson(hash) {
    try {
      const value = JSON.parse(window.localStorage.getItem(kLessonKeyPrefix + hash));
      return value && value.version === 1 && typeof value.text === 'string' ? value : null;
    } catch (e) {
      return null;
    }
  }

  function storeLesson(index) {
    const lesson = outsideLessons[index];
    const progress = Module['UTF8ToString'](Module['_mmlab_outside_progress'](index));
    if (progress === lesson.saved) return;
    lesson.saved = progress;
    try {
      window.localStorage.setItem(kLessonKeyPrefix + lesson.hash, JSON.stringify(
          { version: 1, name: lesson.name, text: lesson.text, progress: progress }));
    } catch (e) { /* full or not allowed: progress lasts for the visit */ }
  }

  function storeLessons() {
    for (const index in outsideLessons) storeLesson(Number(index));
  }

  // A lesson's name from a file name: what comes before ".md", with any
  // character a lesson id does not take made a '-'.
  function lessonName(fileName) {
    const name = String(fileName).replace(/^.*[\\/]/, '').replace(/\.(md|markdown|txt)$/i, '')
                                 .replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64);
    return name || 'lesson';
  }

  // Adds an outside lesson and, unless `open` is false, opens it: at `step`
  // (from 1) if given, else where its kept progress left it. Returns {index,
  // error}: error is "" or why not, in one line ("line 12: ...").
  function addOutsideLesson(name, text, { open = true, step = 0, reach = true } = {}) {
    const added = JSON.parse(callWithTexts(Module['_mmlab_add_lesson'], name, text));
    if (added.error) return { index: -1, error: added.error };
    const index = added.index;
    if (!outsideLessons[index]) {
      outsideLessons[index] = { hash: added.hash, name: added.id, text: text, saved: null };
      const kept = storedLesson(added.hash);
      if (kept && kept.progress) {
        // Progress that does not read is dropped: the lesson starts afresh.
        callWithText(function (ptr) {
          return Module['_mmlab_set_outside_progress'](index, ptr);
        }, kept.progress);
      }
      storeLesson(index);
    }
    if (!open) return { index: index, error: '' };
    const error = Module['UTF8ToString'](
        Module['_mmlab_open_lesson_at'](index, step || resumeStep(index), reach ? 1 : 0));
    return { index: index, error: askingForStudent(error) ? '' : error };
  }

  // Whether a lesson did not open only because it draws its numbers per
  // student and the player now asks for the id: not a failure to report.
  function askingForStudent(error) {
    return !!error && JSON.parse(Module['UTF8ToString'](Module['_mmlab_lesson']())).askStudent !== null;
  }

  // The step (from 1) an outside lesson's kept progress was on.
  function resumeStep(index) {
    const progress = Module['UTF8ToString'](Module['_mmlab_outside_progress'](index));
    try {
      const lessons = JSON.parse(progress).lessons;
      for (const id in lessons) return (lessons[id].step || 0) + 1;
    } catch (e) { /* none kept */ }
    return 1;
  }

  // Opens a lesson file's text (chosen in the file input or dropped on the
  // page); a state file dropped on the page loads as a state instead.
  async function openDroppedFile(file) {
    const text = await readFile(file);
    if (/^\uFEFF?mmlab-state /.test(text)) {
      await loadStateFile(file);
      return;
    }
    const opened = addOutsideLesson(lessonName(file.name), text);
    if (opened.error) {
      showNotice('The lesson file ' + file.name + ' does not open: ' + opened.error + '.');
    } else {
      showNotice('');
      callWithText(Module['_mmlab_note'], 'Opened the lesson file ' + file.name +
                   ': it is not from this site, and its links are not followed.');
    }
  }

  // A link that carries the open outside lesson's text.
  async function makeLessonLink() {
    const open = JSON.parse(Module['UTF8ToString'](Module['_mmlab_open_lesson_text']()));
    if (!open.text) throw new Error('the open lesson is one of this site\'s: #lesson=ID links to it');
    return pageAddress() + '#lesson-text=' + kLessonLinkFormat + '.' +
           await packLinkData(open.text) + '&name=' + encodeURIComponent(open.id);
  }

  // Opens the lesson a #lesson-text=1.DATA&name=ID&step=N link carries.
  async function openLessonLink(params, fallback) {
    const value = params.get('lesson-text') || '';
    const m = /^(\d+)\.(.*)$/s.exec(value);
    if (!m || Number(m[1]) < 1) {
      throw new Error('This lesson link is damaged: it does not start with a format number.' +
                      fallback);
    }
    if (Number(m[1]) > kLessonLinkFormat) {
      throw new Error('This lesson link was made by a newer mmlab (link format ' + m[1] +
                      '; this lab reads format ' + kLessonLinkFormat + ').' + fallback);
    }
    let text;
    try {
      text = await unpackLinkData(m[2], 'This lesson link');
    } catch (e) {
      throw new Error(e.message + fallback);
    }
    const step = params.has('step') ? Number(params.get('step')) : 0;
    if (!Number.isInteger(step) || step < 0) {
      throw new Error('This lesson link does not open: the step is not a number: ' +
                      params.get('step') + '.' + fallback);
    }
    const opened = addOutsideLesson(lessonName(params.get('name') || 'lesson'), text,
                                    { step: step });
    if (opened.error) throw new Error('This lesson link does not open: ' + opened.error + '.' + fallback);
    callWithText(Module['_mmlab_note'],
                 'Opened a lesson from a link: it is not from this site, and its links are not followed.');
  }

  // Lessons that draw their numbers per student (core/lesson/variant.h): the
  // student's id (the player asks for it once, or a link gives student=ID)
  // and the instructor's salt (salt=S in the instructor's link) are kept in
  // localStorage mmlab.student, {"student", "salt"}.
  const kStudentKey = 'mmlab.student';
  let savedStudent = null;

  function setStudent(student, salt) {
    return callWithTexts(Module['_mmlab_set_student'], String(student), String(salt));
  }

  // Takes the student and salt from a link's keys, else from the browser.
  function restoreStudent(params) {
    let kept = {};
    try {
      kept = JSON.parse(window.localStorage.getItem(kStudentKey)) || {};
    } catch (e) { /* none kept */ }
    const student = params.has('student') ? params.get('student') : String(kept.student || '');
    const salt = params.has('salt') ? params.get('salt') : String(kept.salt || '');
    if (!student && !salt) return;
    const error = setStudent(student, salt);
    if (error) showNotice('The student id ' + JSON.stringify(student) + ' is refused: ' + error + '.');
  }

  function saveStudent() {
    const now = Module['UTF8ToString'](Module['_mmlab_student']());
    if (now === savedStudent) return;
    savedStudent = now;
    try { window.localStorage.setItem(kStudentKey, now); } catch (e) { /* not allowed */ }
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

  // Whether the tour opens by itself when the page has loaded (never in an
  // embedded layout, #embed=1: web/embed.js).
  function tourOnLoad() {
    if (hasNoTourKey(location.hash.replace(/^#/, ''))) return false;
    if (/(^|&)embed=1(&|$)/.test(location.hash.replace(/^#/, ''))) return false;
    if (isEmbedded()) return false;
    const setting = tourSetting();
    return setting !== 'off' && setting !== 'seen';
  }

  // The tour: a few callouts, each pointing at a panel where the last frame
  // drew it (mmlab.windows(), so it follows whatever layout the lab has).
  // Enter or Next goes on, Escape or Skip ends it; Help > Tour opens it again.
  const kTourSteps = [
    { window: 'lessons', title: 'Lessons',
      text: 'Pick a lesson here. Each step says what to try, asks you to predict what the ' +
            'kernel will do, and checks your answer against the machine. Next on a step you ' +
            'have not answered runs its solution for you (and counts it as shown).' },
    { window: 'console', title: 'The console',
      text: 'Every change to the machine is a command, and it runs here: type one (try ' +
            'cat /proc/buddyinfo), or click a button and see the command it stands for. ' +
            'Long output has a Reader button that shows it whole, ready to select and copy.' },
    { window: 'map', title: 'The physical memory map',
      text: 'Every page frame of the machine, coloured by what holds it: free blocks by ' +
            'order, allocations, reserved memory. Hover over a frame for its details; ' +
            'click one to select its block in every panel.' },
    { window: 'menu', title: 'Share link',
      text: 'Machine > Share link makes a link that opens the lab in exactly this state, ' +
            'for a teacher or a classmate. Help > Tour shows this tour again.' },
  ];
  let tourStep = -1; // -1: closed
  let tourTimer = 0;

  // Where the last frame drew the tour step's window, in CSS pixels, or null.
  function tourTarget(step) {
    const windows = JSON.parse(Module['UTF8ToString'](Module['_mmlab_windows']()));
    if (step.window === 'menu') {
      const bar = windows.find(function (w) { return w.name === '##MainMenuBar'; });
      // The Machine menu is the bar's first item.
      return bar ? { x: bar.x, y: bar.y, w: Math.min(bar.w, 90), h: bar.h } : null;
    }
    const w = windows.find(function (w) { return w.name.endsWith('###' + step.window); });
    return w && !w.collapsed ? w : null;
  }

  function placeTour() {
    const box = document.getElementById('tour');
    const mark = document.getElementById('tour-mark');
    if (!box || !mark || tourStep < 0) return;
    const target = tourTarget(kTourSteps[tourStep]);
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const bw = box.offsetWidth;
    const bh = box.offsetHeight;
    let x = (vw - bw) / 2;
    let y = (vh - bh) / 2;
    mark.hidden = !target;
    if (target) {
      mark.style.left = target.x + 'px';
      mark.style.top = target.y + 'px';
      mark.style.width = target.w + 'px';
      mark.style.height = target.h + 'px';
      // Beside the panel where there is room (right, left, below), else over it.
      const gap = 12;
      if (target.x + target.w + gap + bw <= vw) {
        x = target.x + target.w + gap;
        y = target.y;
      } else if (target.x - gap - bw >= 0) {
        x = target.x - gap - bw;
        y = target.y;
      } else if (target.y + target.h + gap + bh <= vh) {
        x = target.x;
        y = target.y + target.h + gap;
      } else {
        x = target.x + (target.w - bw) / 2;
        y = target.y + (target.h - bh) / 2;
      }
    }
    box.style.left = Math.max(8, Math.min(x, vw - bw - 8)) + 'px';
    box.style.top = Math.max(8, Math.min(y, vh - bh - 8)) + 'px';
  }

  function showTourStep(n) {
    const box = document.getElementById('tour');
    if (!box) return;
    tourStep = n;
    const step = kTourSteps[n];
    document.getElementById('tour-title').textContent = step.title;
    document.getElementById('tour-text').textContent = step.text;
    document.getElementById('tour-count').textContent = (n + 1) + ' of ' + kTourSteps.length;
    document.getElementById('tour-back').disabled = n === 0;
    document.getElementById('tour-next').textContent =
        n + 1 === kTourSteps.length ? 'Done' : 'Next';
    box.hidden = false;
    placeTour();
    document.getElementById('tour-next').focus();
  }

  function openTour() {
    if (tourStep >= 0) return;
    setTourSetting(tourSetting() === 'off' ? 'off' : 'seen');
    document.addEventListener('keydown', tourKeys, true);
    document.addEventListener('keyup', stopKeys, true);
    document.addEventListener('keypress', stopKeys, true);
    // Panels move (a resize, a step's layout, a dragged border): follow them.
    tourTimer = setInterval(placeTour, 250);
    showTourStep(0);
  }

  function closeTour() {
    if (tourStep < 0) return;
    tourStep = -1;
    clearInterval(tourTimer);
    document.removeEventListener('keydown', tourKeys, true);
    document.removeEventListener('keyup', stopKeys, true);
    document.removeEventListener('keypress', stopKeys, true);
    document.getElementById('tour').hidden = true;
    document.getElementById('tour-mark').hidden = true;
    const canvas = document.getElementById('canvas');
    if (canvas) canvas.focus();
  }

  function tourMove(by) {
    const n = tourStep + by;
    if (n >= kTourSteps.length) closeTour();
    else if (n >= 0) showTourStep(n);
  }

  // Keys typed in an overlay are its own: SDL listens on the window and
  // would both hand them to the lab and cancel their default actions (Tab
  // between the buttons, Ctrl+C in the reader). Keys typed in the lab (the
  // student clicked it) stay the lab's.
  function inOverlay(e) {
    return !!(e.target && e.target.closest && e.target.closest('#tour, #reader'));
  }

  function stopKeys(e) {
    if (inOverlay(e)) e.stopPropagation();
  }

  function tourKeys(e) {
    if (e.key === 'Escape') { // wherever the focus is
      e.stopPropagation();
      e.preventDefault();
      closeTour();
      return;
    }
    if (!inOverlay(e)) return;
    e.stopPropagation();
    if (e.key === 'Enter') {
      // On a focused button, Enter is that button's click (the default).
      if (e.target && e.target.tagName === 'BUTTON') return;
      e.preventDefault();
      tourMove(1);
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      tourMove(1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      tourMove(-1);
    }
  }

  function setUpTour() {
    const on = function (id, f) {
      const el = document.getElementById(id);
      if (el) el.addEventListener('click', f);
    };
    on('tour-next', function () { tourMove(1); });
    on('tour-back', function () { tourMove(-1); });
    on('tour-skip', closeTour);
    window.addEventListener('resize', placeTour);
  }

  // The reader (ui::Platform::open_reader): long output in an HTML <pre>
  // over the lab, unwrapped with its own scrollbars, where the browser can
  // select and copy it (SDL's Emscripten port has no clipboard). Escape or
  // Close ends it.
  function openReader(title, text) {
    const box = document.getElementById('reader');
    if (!box) return;
    document.getElementById('reader-title').textContent = title;
    const pre = document.getElementById('reader-text');
    pre.textContent = text;
    pre.scrollTop = 0;
    pre.scrollLeft = 0;
    if (box.hidden) {
      document.addEventListener('keydown', readerKeys, true);
      document.addEventListener('keyup', stopKeys, true);
      document.addEventListener('keypress', stopKeys, true);
    }
    box.hidden = false;
    pre.focus();
  }

  function closeReader() {
    const box = document.getElementById('reader');
    if (!box || box.hidden) return;
    box.hidden = true;
    document.removeEventListener('keydown', readerKeys, true);
    document.removeEventListener('keyup', stopKeys, true);
    document.removeEventListener('keypress', stopKeys, true);
    const canvas = document.getElementById('canvas');
    if (canvas) canvas.focus();
  }

  // Selects the reader's whole text (what Ctrl+A does there).
  function selectReaderText() {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('reader-text'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function readerKeys(e) {
    if (e.key === 'Escape') { // wherever the focus is
      e.stopPropagation();
      e.preventDefault();
      closeReader();
      return;
    }
    if (!inOverlay(e)) return;
    e.stopPropagation();
    if ((e.ctrlKey || e.metaKey) && e.key === 'a') {
      e.preventDefault();
      selectReaderText();
    }
  }

  function setUpReader() {
    const close = document.getElementById('reader-close');
    if (close) close.addEventListener('click', closeReader);
    const copy = document.getElementById('reader-copy');
    if (copy) {
      copy.addEventListener('click', function () {
        selectReaderText();
        const text = document.getElementById('reader-text').textContent;
        if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
      });
    }
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
    } else if (params.has('lesson-text')) {
      try {
        await openLessonLink(params, fallback);
      } catch (e) {
        showNotice(e.message);
      }
    } else if (params.has('lesson')) {
      const step = params.has('step') ? Number(params.get('step')) : 1;
      const id = params.get('lesson') || '';
      let error;
      if (!Number.isInteger(step)) {
        error = 'the step is not a number: ' + params.get('step');
      } else {
        error = openLesson(id, step, true);
        if (askingForStudent(error)) error = '';
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
      if (!error && typeof session.outside === 'string' && Number.isInteger(session.step)) {
        // A lesson from outside the site: its text is kept under its hash.
        const kept = storedLesson(session.outside);
        if (!kept) error = 'the lesson from outside this site it had open is no longer kept';
        else error = addOutsideLesson(kept.name, kept.text, { step: session.step, reach: false }).error;
      } else if (!error && typeof session.lesson === 'string' && Number.isInteger(session.step)) {
        error = openLesson(session.lesson, session.step, false);
      }
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

  function downloadText(text, name) {
    const blob = new Blob([text], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  function downloadState() {
    downloadText(api.saveState(), 'mmlab-state.txt');
  }

  // The open lesson's submission (core/lesson/submission.h), stamped with
  // the page's clock (the core reads none), or "" with no lesson open.
  function submissionText() {
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return callWithText(Module['_mmlab_submission'], time);
  }

  // "Submit for grading": the open lesson's submission as ID-submission.txt.
  function downloadSubmission() {
    const text = submissionText();
    if (!text) {
      showNotice('Open a lesson first: a submission holds what you did in one lesson.');
      return;
    }
    const name = api.lesson().id + '-submission.txt';
    downloadText(text, name);
    showNotice('Saved ' + name + ': hand it in as your course asks (an assignment upload, ' +
               'an email). It records every step you did, for mmlab --grade.');
  }

  // A chosen or dropped file's text, or an Error in the lab's words (the
  // browser's own, "NotReadableError", say nothing a student can act on).
  async function readFile(file) {
    try {
      return await file.text();
    } catch (e) {
      throw new Error('The file ' + file.name + ' could not be read: it was moved or changed ' +
                      'since it was chosen, or it is a folder. Choose it again.');
    }
  }

  // Loads a state file chosen in the page's file input.
  async function loadStateFile(file) {
    const text = await readFile(file);
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
    // The tiled layout of the last frame: each panel's place and window,
    // the borders between tiles, the strips of collapsed panels, and the
    // console's visible scrollback with its last entries as drawn (CSS
    // pixels), for tests.
    layout: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_layout']()));
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
      storeLessons();
      saveStudent();
      saveSession();
    },
    // The open lesson's submission file as text ("" with no lesson open):
    // what "Submit for grading" downloads, for `mmlab --grade`.
    submission: function () {
      checkReady();
      return submissionText();
    },
    // Downloads it as ID-submission.txt ("Submit for grading").
    downloadSubmission: function () {
      checkReady();
      downloadSubmission();
    },
    // The student's id and the instructor's salt, which lessons that draw
    // their numbers per student use: {student, salt}.
    student: function () {
      checkReady();
      return JSON.parse(Module['UTF8ToString'](Module['_mmlab_student']()));
    },
    // Sets them (as the player's prompt and a link's student= and salt= do);
    // "" or why not.
    setStudent: function (student, salt) {
      checkReady();
      return setStudent(student, salt === undefined ? api.student().salt : salt);
    },
    // Opens lesson text from outside the site, as a lesson file would open
    // (named `name`, default "lesson"); a Promise of "" or why not ("line N: ...").
    openLessonText: function (text, name) {
      checkReady();
      return Promise.resolve(addOutsideLesson(lessonName(name || 'lesson'), String(text)).error);
    },
    // A link that carries the open outside lesson (a Promise; it rejects
    // when the open lesson is the site's).
    lessonLink: function () {
      checkReady();
      return makeLessonLink();
    },
    // The last message about a link or a state file ("" when none).
    notice: function () {
      return lastNotice;
    },
    // Where the time to mmlab.ready went: {phases: [{name, ms}], marks:
    // {"mmlab:...": ms since navigation}, wasm, totalMs} (performance marks).
    timings: function () {
      return timings();
    },
    // The reader overlay: {open, title, text}.
    reader: function () {
      const box = document.getElementById('reader');
      return { open: !!box && !box.hidden,
               title: box ? document.getElementById('reader-title').textContent : '',
               text: box ? document.getElementById('reader-text').textContent : '' };
    },
    // The first-visit tour: {open, step (from 1, 0 when closed), steps,
    // setting (localStorage mmlab.tour: null, 'seen' or 'off')}.
    tour: function () {
      return { open: tourStep >= 0, step: tourStep + 1, steps: kTourSteps.length,
               setting: tourSetting() };
    },
  };
  // The page's other parts, linked before this file (web/embed.js,
  // web/scorm.js), each {api: {name: function}, ready: function (page)}:
  // their functions join window.mmlab, and ready() runs once the link or
  // session has opened, before mmlab.ready resolves. `page` gives them
  // notice(text) and this file's callWithText/callWithTexts (one copy of
  // the wasm heap's string passing).
  const parts = Module['mmlabParts'] || [];
  for (const part of parts) Object.assign(api, part.api || {});
  Object.defineProperty(window, 'mmlab', { value: Object.freeze(api), enumerable: true });
  async function readyParts() {
    for (const part of parts) {
      if (!part.ready) continue;
      try {
        await part.ready({ notice: showNotice, callWithText: callWithText,
                          callWithTexts: callWithTexts });
      } catch (e) {
        showNotice(String(e && e.message || e));
      }
    }
  }

  Module['canvas'] = document.getElementById('canvas');
  Module['print'] = function (text) { console.log(text); };
  Module['printErr'] = function (text) { console.warn(text); };
  // Called by web/bridge.cpp after the first frame.
  Module['mmlabReady'] = function () {
    isReady = true;
    showStatus(null);
    restoreStudent(new URLSearchParams(linkPart(location.hash.replace(/^#/, ''))));
    restoreProgress();
    savedProgress = Module['UTF8ToString'](Module['_mmlab_progress']());
    mark('mmlab:progress');
    openPage().catch(function (e) {
      showNotice('The link could not be opened: ' + (e && e.message || e));
    }).then(readyParts).then(function () {
      const keep = function () { saveProgress(); storeLessons(); saveStudent(); saveSession(); };
      keep();
      setInterval(keep, 500);
      window.addEventListener('pagehide', keep);
      setUpTour();
      setUpReader();
      mark('mmlab:ready');
      if (tourOnLoad()) openTour();
      // A link pasted into the address bar of an open lab changes only the
      // fragment (no reload): open it as the page would on load.
      window.addEventListener('hashchange', function () {
        keep();
        const hash = linkPart(location.hash.replace(/^#/, ''));
        if (!hash) return;
        sessionFrom = hash;
        const params = new URLSearchParams(hash);
        if (params.has('student') || params.has('salt')) restoreStudent(params);
        openFragment(hash).catch(function (e) {
          showNotice('The link could not be opened: ' + (e && e.message || e));
        });
      });
      resolveReady();
    });
  };
  Module['mmlabOpenReader'] = openReader;
  // A menu item of the lab (ui::PlatformRequest): 1 share link, 2 download
  // the state, 3 load a state file, 4 the tour, 5 open a lesson file, 6 copy
  // a link to the open outside lesson, 7 submit for grading.
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
    } else if (request === 4) {
      openTour();
    } else if (request === 5) {
      const input = document.getElementById('lesson-file');
      if (input) input.click();
    } else if (request === 7) {
      downloadSubmission();
    } else if (request === 6) {
      makeLessonLink().then(function (link) {
        if (navigator.clipboard) navigator.clipboard.writeText(link).catch(function () {});
        showNotice('Link to this lesson: ' + link);
      }, function (e) {
        showNotice('No link to this lesson: ' + (e && e.message || e));
      });
    }
  };
  // Lesson files: the Lessons menu's file input, or a file dropped anywhere
  // on the page (a state file dropped loads as a state).
  const lessonInput = document.getElementById('lesson-file');
  if (lessonInput) {
    lessonInput.addEventListener('change', function () {
      const file = lessonInput.files && lessonInput.files[0];
      lessonInput.value = '';
      if (file) openDroppedFile(file).catch(function (e) { showNotice(String(e && e.message || e)); });
    });
  }
  window.addEventListener('dragover', function (e) {
    if (e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  });
  window.addEventListener('drop', function (e) {
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault(); // else the browser leaves the lab to show the file
    if (!isReady) {
      showNotice('The lab is still loading: drop the file again once it runs.');
      return;
    }
    openDroppedFile(file).catch(function (err) { showNotice(String(err && err.message || err)); });
  });
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
