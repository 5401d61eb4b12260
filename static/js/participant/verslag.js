// The verslag by e-mail: while the facilitator closes the bijeenkomst, a card offers to send the verslag to an
// address the participant gives with an explicit yes. The address is kept in memory only, never in localStorage:
// after a reload or reconnect it comes back in this phone's own session_state.
// And the end: when the bijeenkomst is deleted, the phone forgets everything it kept for it.
import { format } from "../realtime.js";
import { $, focusLost, showMessage } from "../dom.js";

export function createVerslag(ctx) {
  const extra = $("rd-verslag-strings");
  const strings = { ...ctx.strings, ...(extra ? JSON.parse(extra.textContent) : {}) };
  const card = $("verslag");
  const form = $("verslag-form");
  const emailInput = $("verslag-email");
  const consentBox = $("verslag-consent");
  const sendButton = $("verslag-send");
  const errorBox = $("verslag-error");
  const done = $("verslag-done");
  const doneText = $("verslag-done-text");
  const withdrawButton = $("verslag-withdraw");
  const withdrawError = $("verslag-withdraw-error");

  let closing = false; // the facilitator asks for addresses now
  let email = ""; // the address this phone gave, "" when none
  let busy = false;

  function render() {
    // A phone that gave an address keeps "Toch niet" even after the facilitator stops asking.
    card.hidden = !closing && !email;
    document.body.classList.toggle("is-closing", !card.hidden);
    form.hidden = Boolean(email);
    done.hidden = !email;
    doneText.textContent = email ? format(strings.verslag_done, { email }) : "";
    sendButton.disabled = busy;
    withdrawButton.disabled = busy;
  }

  function messageOf(ack) {
    return (ack.error && ack.error.code !== "timeout" && ack.error.message) || strings.error;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    showMessage(errorBox, "");
    busy = true;
    render();
    const ack = await ctx.link.request("request_verslag", {
      session: ctx.sessionId,
      email: emailInput.value.trim(),
      consent: consentBox.checked,
    });
    busy = false;
    if (ack.ok) {
      email = ack.email;
      emailInput.value = "";
      consentBox.checked = false;
      showMessage(withdrawError, "");
    } else {
      showMessage(errorBox, messageOf(ack));
    }
    render();
    // The form hid around the focus: it goes to the confirmation, which says where the verslag will go.
    if (ack.ok && !card.hidden && focusLost()) doneText.focus();
  });

  withdrawButton.addEventListener("click", async () => {
    if (busy) return;
    showMessage(withdrawError, "");
    busy = true;
    render();
    const ack = await ctx.link.request("withdraw_verslag_request", { session: ctx.sessionId });
    busy = false;
    if (ack.ok) {
      email = "";
      showMessage(errorBox, "");
    } else {
      showMessage(withdrawError, messageOf(ack));
    }
    render();
    // "Toch niet" hid with the confirmation: the focus goes back to the card's question (or the page's, when the
    // facilitator no longer asks and the card is gone).
    if (ack.ok && focusLost()) (card.hidden ? $("prompt") : $("verslag-title")).focus();
  });

  return {
    /** Take closing and this phone's own address from a session_state. */
    set(state) {
      closing = Boolean(state.closing);
      email = typeof state.verslag_email === "string" ? state.verslag_email : "";
    },
    /** The facilitator started or stopped asking. */
    setClosing(value) {
      closing = Boolean(value);
      render();
    },
    render,
  };
}

/** Forget everything this phone kept for a bijeenkomst (its outbox, its function) and show that it ended. */
export function endSession(ctx) {
  const suffix = `-${ctx.sessionId}`;
  try {
    const keys = [];
    for (let i = 0; i < localStorage.length; i += 1) keys.push(localStorage.key(i));
    for (const key of keys) if (key && key.startsWith("rd-") && key.endsWith(suffix)) localStorage.removeItem(key);
  } catch {
    // private mode without storage: there is nothing to forget
  }
  if (ctx.link) ctx.link.socket.disconnect(); // the bijeenkomst is gone: do not reconnect to it
  document.body.dataset.ended = "true";
  for (const node of document.querySelectorAll(".participant-main > *, .phase-row, .me-row, .status")) node.hidden = true;
  $("session-ended").hidden = false;
}
