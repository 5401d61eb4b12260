// Closing the bijeenkomst: the facilitator starts (or stops) offering the verslag by e-mail on the phones,
// and sees how many phones asked for it. A count only: addresses never reach this (projected) page.
import { format } from "../realtime.js";
import { $ } from "../dom.js";

export function createClosingPanel({ send, strings }) {
  const toggle = $("toggle-closing");
  const count = $("optin-count");
  let closing = false;
  let optins = 0;

  function render() {
    toggle.textContent = closing ? strings.closing_stop : strings.closing_start;
    toggle.setAttribute("aria-pressed", String(closing));
    toggle.classList.toggle("primary", !closing);
    count.textContent = format(optins === 1 ? strings.optins_one : strings.optins_many, { num: optins });
  }

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    const ack = await send("set_closing", { closing: !closing });
    toggle.disabled = false;
    if (ack.ok) closing = ack.closing; // closing_changed says the same; this covers a lost event
    render();
  });

  return {
    /** Take closing and the count from a session_state. */
    set(state) {
      closing = Boolean(state.closing);
      optins = Number(state.mail_optins) || 0;
      render();
    },
    setClosing(value) {
      closing = Boolean(value);
      render();
    },
    setCount(value) {
      optins = Number(value) || 0;
      render();
    },
  };
}
