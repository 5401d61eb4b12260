// The rejoin code ("herstelcode"): a cookie and localStorage belong to one address, so a phone that scans the
// QR code of a new address of the laptop starts there as a stranger. The code, typed on the new address, brings
// it back as the same phone. It sits under a fold at the bottom, and comes to the top of the page by itself when
// the laptop has been out of reach for a while (the moment a new address is likely). It lives in this page's
// memory only, never in storage.
import { $ } from "../dom.js";

/** How long the connection must be gone before the code is put in front of the participant. */
const LOST_AFTER_MS = 10000;

export function createRejoin(ctx) {
  const value = $("rejoin-code-value");
  const lost = $("rejoin-lost");
  const lostCode = $("rejoin-lost-code");
  let lostTimer = null;

  function render() {
    const ended = document.body.dataset.ended === "true";
    value.textContent = (!ended && ctx.me && ctx.me.rejoin_code) || "";
    lostCode.textContent = value.textContent;
    if (ended) lost.hidden = true;
  }

  function setConnected(connected) {
    render(); // after "session ended" the socket closes: the code goes too
    if (connected) {
      clearTimeout(lostTimer);
      lostTimer = null;
      lost.hidden = true;
      return;
    }
    // Every reconnect attempt says "not connected" again: count from the first one.
    if (lostTimer !== null) return;
    lostTimer = setTimeout(() => {
      if (value.textContent && document.body.dataset.ended !== "true") lost.hidden = false;
    }, LOST_AFTER_MS);
  }

  return { render, setConnected };
}
