// The lab in a course page (README, "Embedding"). Linked into mmlab.js before
// web/api.js, which adds mmlab.report() to window.mmlab and runs ready() once
// the page's link has opened.
//
// #embed=1 gives the minimal layout of an iframe: no menu bar, no status
// bar, no tour (web/lms.cpp, ui::set_embedded). With panels=map,console only
// those panels open (and the lesson panel too with lesson=ID, which opens
// that lesson as a deep link does: #embed=1&lesson=buddy-allocator&step=3).
//
// In a frame (embedded or not), the page tells its parent what the student
// did with window.parent.postMessage, every message {source: 'mmlab', type,
// lesson, ...}:
//   {type: 'ready', lesson, step, steps, done, percent, complete}  once, when the lab is ready
//   {type: 'step', lesson, step, status, done, steps, percent}     a step got its outcome
//   {type: 'score', lesson, percent, done, steps, complete, passed} the score or completion changed
// `lesson` is null while no lesson is open (then only 'ready' is sent).
// The messages hold no more than the page shows, so they go to any origin
// ('*'): a course page checks event.source against its iframe's window.
(function () {
  'use strict';
  const kDone = ['read', 'shown', 'after_help', 'unaided']; // mm::is_done

  function fragment() {
    return new URLSearchParams(location.hash.replace(/^#/, ''));
  }

  function inFrame() {
    try {
      return window.parent !== window;
    } catch (e) {
      return true;
    }
  }

  function post(message) {
    if (!inFrame()) return;
    message = Object.assign({ source: 'mmlab' }, message);
    try {
      window.parent.postMessage(message, '*');
    } catch (e) { /* a parent that is gone */ }
  }

  function report() {
    return JSON.parse(Module['UTF8ToString'](Module['_mmlab_report']()));
  }

  // What the last watch() saw, to send only what changed.
  let seen = null;

  function scoreMessage(now) {
    return { type: 'score', lesson: now.lesson, percent: now.percent, done: now.done,
             steps: now.steps, complete: now.complete, passed: now.complete && now.percent >= now.mastery };
  }

  function watch() {
    const now = report();
    const before = seen;
    seen = now;
    if (!now.lesson) return;
    const same = before && before.lesson === now.lesson;
    if (same) {
      now.status.forEach(function (status, i) {
        if (kDone.includes(status) && !kDone.includes(before.status[i])) {
          post({ type: 'step', lesson: now.lesson, step: i + 1, status: status, done: now.done,
                 steps: now.steps, percent: now.percent });
        }
      });
    }
    if (!same || before.percent !== now.percent || before.done !== now.done ||
        before.complete !== now.complete) {
      post(scoreMessage(now));
    }
  }

  // In a frame, a click on the lab must give it the keyboard: the canvas's
  // mouse handlers cancel the press (SDL), which keeps the browser from
  // moving the focus into the frame, so typed keys went to the course page.
  function focusOnPress() {
    if (!inFrame()) return;
    document.addEventListener('pointerdown', function () {
      const canvas = document.getElementById('canvas');
      window.focus();
      if (canvas && document.activeElement !== canvas) canvas.focus({ preventScroll: true });
    }, true);
  }

  async function ready(page) {
    focusOnPress();
    const params = fragment();
    if (params.get('embed') === '1') {
      let panels = (params.get('panels') || '').trim();
      if (panels && params.has('lesson')) panels += ',lessons';
      const error = page.callWithText(Module['_mmlab_embed'], panels);
      if (error) {
        page.notice('This embedded lab shows every panel: ' + error + '.');
        page.callWithText(Module['_mmlab_embed'], '');
      }
    }
    seen = report();
    post({ type: 'ready', lesson: seen.lesson, step: seen.lesson ? seen.step : 0,
           steps: seen.lesson ? seen.steps : 0, done: seen.lesson ? seen.done : 0,
           percent: seen.lesson ? seen.percent : 0, complete: !!seen.complete });
    setInterval(watch, 250);
  }

  Module['mmlabParts'] = (Module['mmlabParts'] || []).concat([{
    api: {
      // The open lesson as a course page or an LMS sees it: {lesson (null in
      // the picker), title, step, steps, done, status, percent, mastery,
      // complete, suspend} (web/lms.cpp).
      report: function () {
        return report();
      },
    },
    ready: ready,
  }]);
})();
