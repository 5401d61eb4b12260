// The phase timer on the host: counts down locally from what the server last said.
// The server sends durations ({duration, remaining, running}), never clock times, so the laptop's
// clock does not matter: we count from the moment the payload arrived.

/** Format seconds as m:ss (h:mm:ss past an hour); overtime gets a leading "+". */
export function formatClock(seconds) {
  const over = seconds < 0;
  // Counting down we round up (0:00 only when time is really up); counting over we round down.
  const whole = over ? Math.floor(-seconds) : Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  const text = h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  return over && whole > 0 ? `+${text}` : text;
}

export function createTimer({ display, box, toggle, strings }) {
  let timer = null; // {duration, remaining, running}
  let receivedAt = 0;

  function remaining() {
    if (!timer) return null;
    return timer.running ? timer.remaining - (performance.now() - receivedAt) / 1000 : timer.remaining;
  }

  function paint() {
    const left = remaining();
    let state = "none";
    if (left === null) {
      display.textContent = strings.no_timer;
    } else {
      display.textContent = formatClock(left);
      state = left < 0 && formatClock(left).startsWith("+") ? "overtime" : timer.running ? "running" : "paused";
    }
    box.dataset.state = state;
    box.dataset.running = String(Boolean(timer && timer.running));
    toggle.textContent = timer && timer.running ? strings.pause : strings.start;
  }

  setInterval(paint, 250);
  paint();

  return {
    /** Take a timer payload from session_state, phase_changed or timer_changed (null: no timer). */
    set(payload) {
      timer = payload && typeof payload.remaining === "number" ? payload : null;
      receivedAt = performance.now();
      paint();
    },
    isRunning: () => Boolean(timer && timer.running),
  };
}
