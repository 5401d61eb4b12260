// The facilitator's phone remote: next/previous phase, the timer, reveal, and approving or hiding what waits.
// It joins as "remote" with the token in its HttpOnly cookie; the server lets it send only these events and
// sends it a compact session_state after every change.
import { connect, format, loadStrings, setChildren } from "./realtime.js";
import { $ } from "./dom.js";
import { createTimer } from "./host/timer.js";

const strings = loadStrings();
const sessionId = document.body.dataset.session;

const timer = createTimer({
  display: $("remote-clock"),
  box: $("remote-clock"),
  toggle: $("remote-timer-toggle"),
  strings,
});
let state = null;
let revoked = false;

function showError(message) {
  $("remote-error").textContent = message || "";
  $("remote-error").hidden = !message;
}

function render() {
  const step = state && state.step;
  $("remote-workformat").textContent = step ? step.workformat_name : "";
  $("remote-phase").textContent = step
    ? `${step.phase_title} (${format(strings.phase_of, { n: step.phase_index + 1, total: step.phases_count })})`
    : "";
  const next = state && state.next;
  const title = next ? (next.same_item ? next.phase_title : `${next.workformat_name} · ${next.phase_title}`) : "";
  $("remote-next").textContent = !next
    ? strings.next_none
    : next.minutes
      ? format(strings.next_minutes, { title, minutes: next.minutes })
      : format(strings.next_plain, { title });
  $("remote-previous").disabled = revoked || !step || (step.item_index === 0 && step.phase_index === 0);
  $("remote-advance").disabled = revoked || !next;
  const waiting = Boolean(step && step.hidden_until_reveal && !step.revealed);
  $("remote-reveal-box").hidden = !waiting;
  const count = (n, one, many) => format(n === 1 ? one : many, { num: n });
  $("remote-concealed").textContent = count(state ? state.concealed : 0, strings.concealed_one, strings.concealed_many);
  const pending = (state && state.pending) || [];
  $("remote-pending-box").hidden = !(state && state.pending_count);
  $("remote-pending-count").textContent = count(
    state ? state.pending_count : 0, strings.pending_one, strings.pending_many);
  setChildren(
    $("remote-pending"),
    pending.map((item) => {
      const li = document.createElement("li");
      const text = document.createElement("p");
      text.className = "remote-pending-text";
      text.textContent = item.text;
      const approve = button(strings.approve, "primary", () => send("approve_contribution", { id: item.id, approved: true }));
      const hide = button(strings.hide, "", () => send("set_contribution_hidden", { id: item.id, hidden: true }));
      const row = document.createElement("div");
      row.className = "remote-nav";
      row.append(approve, hide);
      li.append(text, row);
      return li;
    }),
  );
  for (const node of document.querySelectorAll(".remote-button")) if (revoked) node.disabled = true;
}

function button(text, kind, onClick) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = `remote-button ${kind}`.trim();
  node.textContent = text;
  node.addEventListener("click", onClick);
  return node;
}

async function send(event, payload = {}) {
  if (revoked) return;
  const ack = await link.request(event, { session: sessionId, ...payload });
  if (!ack.ok) showError(ack.error && ack.error.code === "not_authorised" ? strings.refused : ack.error?.message);
  else showError("");
}

const link = connect({
  sessionId,
  role: "remote",
  handlers: {
    onStatus(connected) {
      $("remote-status").textContent = connected ? strings.connected : strings.reconnecting;
    },
    onJoinError(error) {
      if (error && error.code === "not_authorised") {
        revoked = true;
        showError(strings.revoked);
        render();
      }
    },
    onState(payload) {
      state = payload;
      timer.set(payload.timer);
      render();
    },
    on: {
      remote_revoked() {
        revoked = true;
        showError(strings.revoked);
        render();
      },
      session_ended() {
        revoked = true;
        showError(strings.session_ended);
        render();
      },
    },
  },
});

$("remote-advance").addEventListener("click", () => send("advance_phase"));
$("remote-previous").addEventListener("click", () => send("previous_phase"));
$("remote-timer-toggle").addEventListener("click", () =>
  send("control_timer", { action: timer.isRunning() ? "pause" : "start" }),
);
$("remote-timer-add").addEventListener("click", () => send("control_timer", { action: "add", seconds: 60 }));
$("remote-reveal").addEventListener("click", () => send("reveal_phase"));
render();
