// The page's SCORM 1.2 runtime adapter (README, "An LMS package"). Linked
// into mmlab.js before web/embed.js and web/api.js, which adds mmlab.scorm()
// to window.mmlab and runs ready() once the page's link has opened.
//
// On with `scorm=1` in the fragment (the package's launch file opens
// index.html#lesson=ID&scorm=1&embed=1). It finds the LMS's API object as
// the SCORM 1.2 Runtime Environment says (window.API in this window or a
// parent, up to 7 levels, else in the opener's chain), calls LMSInitialize,
// resumes the lesson from cmi.suspend_data (core/lesson/suspend.h: the steps'
// outcomes and the step; the machine is brought there as a deep link does),
// and then, as the student works:
//   cmi.core.lesson_status   incomplete, then passed or failed once every step has an
//                            outcome (percent >= cmi.student_data.mastery_score, which
//                            the LMS takes from the manifest's adlcp:masteryscore; the
//                            lab's 80, core/lesson/session.h, without one)
//   cmi.core.score.raw/min/max  the lesson's percent (mm::lesson_percent), 0, 100
//   cmi.core.lesson_location    the step (from 1)
//   cmi.suspend_data            the compact progress (under 4,096 characters)
// with LMSCommit after each change; on leaving the page cmi.core.exit,
// cmi.core.session_time, LMSCommit and LMSFinish. Only the package's lesson
// reports: another lesson opened from the picker is the student's own
// practice. cmi.core.student_id is the student whose numbers a lesson with
// variants draws (core/lesson/variant.h), with the instructor's salt from
// the launch's salt= key: given to mmlab.setStudent when the page has it,
// and always shown as mmlab.scorm().studentId. Without an LMS (the package
// opened from disk) the lab works as always.
(function () {
  'use strict';
  const kSuspendMax = 4096; // SCORM 1.2: cmi.suspend_data is a CMIString4096

  const state = {
    on: false, // scorm=1 in the fragment
    lesson: '', // the package's lesson (lesson= in the fragment)
    connected: false, // LMSInitialize succeeded
    studentId: '',
    studentName: '',
    entry: '',
    status: '',
    score: null,
    mastery: null, // the LMS's, else the lab's (mm::kMasteryPercent)
    suspendData: '',
    lastError: '',
    finished: false,
  };
  let lms = null;
  let started = 0;
  let sent = { percent: null, suspend: null, status: null, step: null };

  // SCORM 1.2 RTE 3.3.6.1: the API object is window.API of this window or of
  // one of its parents, else of the opener and its parents. A parent of
  // another origin cannot be read: the search stops there.
  function findIn(win) {
    for (let tries = 0; win && tries <= 7; tries++) {
      try {
        if (win.API) return win.API;
        if (!win.parent || win.parent === win) return null;
      } catch (e) {
        return null;
      }
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    const own = findIn(window);
    if (own) return own;
    try {
      return window.opener ? findIn(window.opener) : null;
    } catch (e) {
      return null;
    }
  }

  function lastError() {
    try {
      const code = String(lms.LMSGetLastError());
      if (code === '0' || code === '') return '';
      return code + ' ' + String(lms.LMSGetErrorString(code) || '');
    } catch (e) {
      return String(e && e.message || e);
    }
  }

  function get(name) {
    try {
      return String(lms.LMSGetValue(name) || '');
    } catch (e) {
      return '';
    }
  }

  function set(name, value) {
    let ok = false;
    try {
      ok = String(lms.LMSSetValue(name, String(value))) === 'true';
    } catch (e) {
      state.lastError = name + ': ' + (e && e.message || e);
      return false;
    }
    if (!ok) state.lastError = name + ': ' + lastError();
    return ok;
  }

  function commit() {
    try {
      lms.LMSCommit('');
    } catch (e) {
      state.lastError = 'LMSCommit: ' + (e && e.message || e);
    }
  }

  function report() {
    return JSON.parse(Module['UTF8ToString'](Module['_mmlab_report']()));
  }

  // Sends what changed in the open lesson (twice a second).
  function update() {
    if (!state.connected || state.finished) return;
    const now = report();
    if (now.lesson !== state.lesson) return;
    let changed = false;
    if (now.percent !== sent.percent && set('cmi.core.score.raw', now.percent)) {
      sent.percent = state.score = now.percent;
      changed = true;
    }
    if (now.step !== sent.step && set('cmi.core.lesson_location', now.step)) {
      sent.step = now.step;
      changed = true;
    }
    if (now.suspend !== sent.suspend && now.suspend.length <= kSuspendMax &&
        set('cmi.suspend_data', now.suspend)) {
      sent.suspend = state.suspendData = now.suspend;
      changed = true;
    }
    const status = !now.complete ? 'incomplete'
                                 : now.percent >= state.mastery ? 'passed' : 'failed';
    if (status !== sent.status && set('cmi.core.lesson_status', status)) {
      sent.status = state.status = status;
      changed = true;
    }
    if (changed) commit();
  }

  // HHHH:MM:SS.SS, SCORM 1.2's CMITimespan.
  function timespan(ms) {
    const s = Math.max(0, ms) / 1000;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = (s % 60).toFixed(2);
    return String(h).padStart(4, '0') + ':' + String(m).padStart(2, '0') + ':' +
           sec.padStart(5, '0');
  }

  function finish() {
    if (!state.connected || state.finished) return;
    update();
    set('cmi.core.exit', sent.status === 'incomplete' ? 'suspend' : '');
    set('cmi.core.session_time', timespan(Date.now() - started));
    commit();
    try {
      lms.LMSFinish('');
    } catch (e) {
      state.lastError = 'LMSFinish: ' + (e && e.message || e);
    }
    state.finished = true;
  }

  async function ready(page) {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.get('scorm') !== '1') return;
    state.on = true;
    lms = findApi();
    if (!lms) {
      console.log('mmlab: no SCORM 1.2 API (no learning management system): ' +
                  'progress stays in this browser.');
      return;
    }
    let ok = false;
    try {
      ok = String(lms.LMSInitialize('')) === 'true';
    } catch (e) {
      state.lastError = 'LMSInitialize: ' + (e && e.message || e);
    }
    if (!ok) {
      if (!state.lastError) state.lastError = 'LMSInitialize: ' + lastError();
      page.notice('The learning management system did not start this lesson (' +
                  state.lastError + '): the score is not reported.');
      return;
    }
    state.connected = true;
    started = Date.now();
    state.studentId = get('cmi.core.student_id');
    state.studentName = get('cmi.core.student_name');
    state.entry = get('cmi.core.entry');
    const mastery = get('cmi.student_data.mastery_score');
    state.mastery = /^\d+(\.\d+)?$/.test(mastery) ? Number(mastery) : report().mastery;
    const lesson = state.lesson = params.get('lesson') || '';
    // The student of variant lessons, before the lesson opens.
    if (state.studentId && typeof window.mmlab.setStudent === 'function') {
      const why = window.mmlab.setStudent(state.studentId,
                                          params.has('salt') ? params.get('salt') : undefined);
      if (why) page.notice('The LMS student id is refused: ' + why + '.');
    }
    const kept = get('cmi.suspend_data');
    const error = page.callWithTexts(Module['_mmlab_resume_lesson'], lesson, kept);
    if (error) page.notice('The lesson starts afresh: ' + error + '.');
    set('cmi.core.score.min', 0);
    set('cmi.core.score.max', 100);
    sent.status = state.status = get('cmi.core.lesson_status');
    update();
    window.addEventListener('pagehide', finish);
    window.addEventListener('beforeunload', finish);
    setInterval(update, 500);
  }

  Module['mmlabParts'] = (Module['mmlabParts'] || []).concat([{
    api: {
      // The SCORM runtime as the page sees it: {on, lesson, connected, studentId,
      // studentName, entry, status, score, mastery, suspendData, lastError,
      // finished}.
      scorm: function () {
        return Object.assign({}, state);
      },
      // Sends the score and ends the LMS session now, as leaving the page does.
      scormFinish: function () {
        finish();
      },
    },
    ready: ready,
  }]);
})();
