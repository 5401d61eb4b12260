// The regie's "Afstandsbediening" panel: a QR code for the facilitator's own phone. The token is made on the
// server when asked (POST …/remote-token), stored only hashed, and shown here only: a reload of the regie cannot
// show it again, so it offers "Intrekken" (a new token; the old phone stops at once) instead.
import { setChildren } from "../realtime.js";
import { $ } from "../dom.js";

export function createRemotePanel({ sessionId, strings }) {
  const panel = $("remote-panel");
  const toggle = $("toggle-remote");
  let active = false; // a token exists on the server
  let shown = false; // this page shows its QR code

  async function newToken(revoking) {
    const response = await fetch(`/host/s/${sessionId}/remote-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: "{}",
      cache: "no-store",
    }).catch(() => null);
    if (!response || !response.ok) {
      $("remote-message").textContent = strings.remote_failed;
      return;
    }
    const body = await response.json();
    $("remote-qr").src = body.qr;
    $("remote-qr").hidden = false;
    setChildren($("remote-url"), [document.createTextNode(body.url)]);
    $("remote-active").hidden = true;
    $("remote-message").textContent = revoking ? strings.remote_revoked : "";
    active = true;
    shown = true;
  }

  function open(opened) {
    panel.hidden = !opened;
    toggle.setAttribute("aria-expanded", String(opened));
    if (!opened) return;
    if (!shown && !active) newToken(false);
    $("remote-active").hidden = shown || !active;
  }

  toggle.addEventListener("click", () => open(panel.hidden));
  $("remote-revoke").addEventListener("click", () => newToken(true));

  return {
    /** Take the host state's `remote` ({active}). */
    set(remote) {
      active = Boolean(remote && remote.active);
      if (!panel.hidden) $("remote-active").hidden = shown || !active;
    },
  };
}
