// The connection every page shares: connect, join the bijeenkomst after every (re)connect,
// and report the connection state. The server identifies us by an HttpOnly cookie.

/** Read the translated strings the server put in the page. */
export function loadStrings() {
  const node = document.getElementById("rd-strings");
  return node ? JSON.parse(node.textContent) : {};
}

/** Fill %(name)s placeholders in a translated string. */
export function format(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

/** Make a random id for a submission (crypto.randomUUID is missing on plain-HTTP pages). */
export function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// join_session refusals that may pass by themselves, so the page asks again.
const RETRY_JOIN = new Set(["too_fast", "internal", "storage_failed"]);

/**
 * Connect and join a bijeenkomst as "host" or "participant".
 * handlers: {onState(state), onJoined(), onStatus(connected), on: {event: fn}}
 */
export function connect({ sessionId, role, handlers }) {
  // eslint-disable-next-line no-undef
  const socket = io({ reconnectionDelayMax: 4000, timeout: 8000 });
  let joined = false;

  const join = () => {
    socket.timeout(10000).emit("join_session", { session: sessionId, role }, (err, ack) => {
      if (err || !ack || !ack.ok) {
        joined = false;
        handlers.onJoinError?.(ack && ack.error);
        // No answer from a busy server (300 phones rejoining after a restart), or a refusal that passes
        // (too fast): ask again, or the outbox would wait for the next disconnect to be sent.
        if (err || !ack || RETRY_JOIN.has(ack.error && ack.error.code)) {
          setTimeout(() => {
            if (socket.connected && !joined) join();
          }, 3000);
        }
        return;
      }
      joined = true;
      handlers.onJoined?.();
    });
  };

  socket.on("connect", () => {
    handlers.onStatus?.(true);
    join();
  });
  socket.on("disconnect", () => {
    joined = false;
    handlers.onStatus?.(false);
  });
  socket.io.on("reconnect_attempt", () => handlers.onStatus?.(false));
  socket.on("session_state", (state) => handlers.onState?.(state));
  for (const [event, fn] of Object.entries(handlers.on || {})) socket.on(event, fn);

  return {
    socket,
    isJoined: () => joined && socket.connected,
    /** Emit with an acknowledgement; resolves {ok:false, error:{code:"timeout"}} when none comes. */
    request(event, payload, timeoutMs = 10000) {
      return new Promise((resolve) => {
        socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
          resolve(err || !ack ? { ok: false, error: { code: "timeout" } } : ack);
        });
      });
    },
  };
}

/** Replace a node's children (Element.replaceChildren is missing before iOS 14). */
export function setChildren(node, children) {
  node.textContent = "";
  node.append(...children);
}

/** Show the connection state in the page's status badge. */
export function renderStatus(connected, text) {
  const badge = document.querySelector(".status");
  if (!badge) return;
  badge.dataset.status = connected ? "connected" : "reconnecting";
  badge.querySelector(".status-text").textContent = text;
}
