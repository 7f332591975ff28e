'use strict';

/**
 * At most `max` tasks run at once; the rest wait in order. wx.request fails a request past the
 * mini-program's 10 concurrent ones, so every request of the SDK goes through one of these.
 */
class RequestQueue {
  constructor(max) {
    if (!(max >= 1)) {
      throw new Error('maxConcurrent must be at least 1');
    }
    this.max = max;
    this.active = 0;
    this.peak = 0;
    this.waiting = [];
  }

  /** Runs `task` (a function returning a promise) once a slot is free; its promise. */
  run(task) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ task: task, resolve: resolve, reject: reject });
      this._next();
    });
  }

  _next() {
    while (this.active < this.max && this.waiting.length > 0) {
      const job = this.waiting.shift();
      this.active++;
      if (this.active > this.peak) {
        this.peak = this.active;
      }
      let p;
      try {
        p = Promise.resolve(job.task());
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        (v) => { this._done(); job.resolve(v); },
        (e) => { this._done(); job.reject(e); });
    }
  }

  _done() {
    this.active--;
    this._next();
  }
}

module.exports = { RequestQueue };
