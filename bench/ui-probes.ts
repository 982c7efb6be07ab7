// In-page measurement code for the UI benchmark. Kept as plain JavaScript source text
// (not functions handed to page.evaluate): tsx's transform can add helpers that do not
// exist in the page, and the probe must be exactly the code that runs there.

/**
 * Installs `window.__unsureProbe` in the page:
 * - `armPress()` before a key press: a capture keydown listener stamps performance.now(),
 *   then the detail panel is watched (MutationObserver) for a different sample id. Two
 *   moments are taken, each after the frame that shows them (requestAnimationFrame, then a
 *   posted message, i.e. after that frame's paint work): the new sample's image loaded
 *   and in the panel, and its full detail (prediction, probabilities, scores) in the panel.
 * - `pressResult(timeoutMs)`: resolves with { imageMs, detailMs, fromId, toId } or an error.
 * - `scrollRun(pxPerFrame, frames)`: scrolls the grid by scrollTop steps, one per frame,
 *   and returns the intervals between frames (ms).
 * - `frameLog(ms)`: records frame intervals for `ms` while something else (wheel input
 *   from Playwright) drives the page.
 */
export const PROBE_SOURCE = String.raw`
(() => {
  if (window.__unsureProbe) return;
  const afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => cb(performance.now());
      ch.port2.postMessage(0);
    });
  const detailId = () => document.querySelector('aside.detail .detail-id')?.textContent ?? null;
  let pending = null;
  // The press being measured, kept after it finishes: it may finish before pressResult() is asked.
  let armed = null;

  window.addEventListener(
    'keydown',
    (e) => {
      if (pending && pending.t0 === null) pending.t0 = performance.now();
    },
    true,
  );

  function check() {
    const p = pending;
    if (!p || p.t0 === null) return;
    const id = detailId();
    if (id === null || id === p.fromId) return;
    p.toId = id;
    if (p.idAt === null) p.idAt = performance.now();
    if (p.imageAt === null && !p.imageWaiting) {
      const img = document.querySelector('aside.detail img.detail-image');
      const want = img && img.getAttribute('src');
      if (img && want && want.endsWith(encodeURIComponent(id))) {
        // Loaded (complete, with pixels): the next frame paints it (the detail image is decoded in that frame's raster).
        const done = () => afterPaint((t) => { p.imageAt = t; finish(); });
        p.imageWaiting = true;
        if (img.complete && img.naturalWidth > 0) done();
        else img.addEventListener('load', done, { once: true });
      }
    }
    if (p.detailAt === null && !p.detailWaiting) {
      const facts = document.querySelector('aside.detail .detail-facts .big');
      const scores = document.querySelector('aside.detail section[aria-label="Scores"]');
      if (facts && scores) {
        p.detailWaiting = true;
        afterPaint((t) => { p.detailAt = t; finish(); });
      }
    }
  }

  function finish() {
    const p = pending;
    if (!p || p.imageAt === null || p.detailAt === null) return;
    pending = null;
    p.observer.disconnect();
    clearTimeout(p.timer);
    p.resolve({ idMs: p.idAt - p.t0, imageMs: p.imageAt - p.t0, detailMs: p.detailAt - p.t0, fromId: p.fromId, toId: p.toId });
  }

  // Long animation frames (frames whose work took > 50 ms), with the scripts that ran in
  // them: what tells the app's own code apart from a busy machine.
  let loafs = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        loafs.push({
          duration: e.duration,
          blocking: e.blockingDuration,
          render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleLayout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((s) => ({
            duration: s.duration,
            invoker: s.invoker,
            fn: s.sourceFunctionName,
            src: (s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition,
            layout: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {}

  // Every image request is counted (the default buffer keeps only 250 entries).
  performance.setResourceTimingBufferSize(1000000);

  window.__unsureProbe = {
    mediaRequests() {
      return performance.getEntriesByType('resource').filter((e) => e.name.includes('/media/')).length;
    },
    takeLongFrames() {
      const r = loafs;
      loafs = [];
      return r;
    },
    armPress() {
      if (pending) throw new Error('a press is already being measured');
      const p = { t0: null, fromId: detailId(), toId: null, idAt: null, imageAt: null, detailAt: null,
        imageWaiting: false, detailWaiting: false, observer: null, timer: 0, resolve: null, reject: null };
      p.result = new Promise((resolve, reject) => { p.resolve = resolve; p.reject = reject; });
      p.observer = new MutationObserver(check);
      p.observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      pending = p;
      armed = p;
      return p.fromId;
    },
    pressResult(timeoutMs) {
      const p = armed;
      if (!p) throw new Error('armPress() was not called');
      armed = null;
      if (pending !== p) return p.result;
      p.timer = setTimeout(() => {
        pending = null;
        p.observer.disconnect();
        p.reject(new Error('the detail panel did not show the next sample within ' + timeoutMs + ' ms (from ' +
          p.fromId + ', keydown ' + (p.t0 === null ? 'never seen' : 'seen') + ', now ' + detailId() + ')'));
      }, timeoutMs);
      check();
      return p.result;
    },
    scrollRun(pxPerFrame, frames) {
      const el = document.querySelector('[role="listbox"][aria-label="Review queue"]');
      if (!el) throw new Error('no review queue grid on the page');
      return new Promise((resolve) => {
        const intervals = [];
        let last = null;
        let n = 0;
        const step = (t) => {
          if (last !== null) intervals.push(t - last);
          last = t;
          if (n++ >= frames) return resolve({ intervals, scrollTop: el.scrollTop, scrollHeight: el.scrollHeight });
          el.scrollTop += pxPerFrame;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    frameLog(ms) {
      return new Promise((resolve) => {
        const intervals = [];
        let last = null;
        const end = performance.now() + ms;
        const step = (t) => {
          if (last !== null) intervals.push(t - last);
          last = t;
          if (t >= end) return resolve({ intervals });
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    gridScrollTop() {
      return document.querySelector('[role="listbox"][aria-label="Review queue"]')?.scrollTop ?? -1;
    },
  };
})();
`;
