// Can the phones reach the laptop? Two things on the host view:
// - the address watch: every few seconds it asks the server for the laptop's addresses; when the address the
//   QR code uses is gone, or the default route moved while the QR code follows it, a banner offers the QR code
//   for the new address (and redraws it, with the join address, on a click);
// - "Test de verbinding": a test QR code for /t/<probe>; the server tells this page (probe_reached) when a phone
//   opened it and through which address; if none did in time, the likely causes are shown. The laptop also
//   tries each of its addresses itself, which shows whether the server listens there.
import { format, setChildren } from "../realtime.js";
import { $, button, el } from "../dom.js";

function readStrings() {
  const node = $("rd-reach-strings");
  return node ? JSON.parse(node.textContent) : {};
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

export function createReach({ link, sessionId, strings: hostStrings = {} }) {
  const strings = { ...hostStrings, ...readStrings() };
  const panel = $("join-panel");
  const qrImage = $("join-qr");
  const joinUrl = $("join-url");
  const banner = $("address-banner");
  const bannerNew = $("address-banner-new");
  const bannerUse = $("address-banner-use");
  const reachPanel = $("reach-panel");
  const reachSummary = $("reach-summary");
  const reachQr = $("reach-qr");
  const reachUrl = $("reach-url");
  const reachStatus = $("reach-status");
  const reachStart = $("reach-start");
  const reachCauses = $("reach-causes");
  const addressList = $("reach-addresses");
  if (!panel || !banner || !reachPanel) return null;

  const base = `/host/s/${encodeURIComponent(sessionId)}`;
  const checkSeconds = Math.max(1, Number(panel.dataset.checkSeconds) || 4);
  const probeWaitSeconds = Math.max(1, Number(panel.dataset.probeWaitSeconds) || 60);
  let qrAddress = panel.dataset.qrAddress || ""; // "" when PUBLIC_URL fixes the address
  let followsDefault = panel.dataset.followsDefault === "true";
  let latest = null; // the last answer of /network
  let suggestion = null; // the choice the banner offers
  let listening = {}; // address -> true/false, from the laptop's own check
  let listSignature = "";

  // -- the address watch ------------------------------------------------------------------------

  function choiceFor(address) {
    return (latest?.choices || []).find((c) => c.address === address) || null;
  }

  /** Redraw the QR code and the join address for another address of the laptop. */
  function useAddress(address) {
    const choice = choiceFor(address);
    if (!choice) return;
    qrImage.src = choice.qr;
    joinUrl.textContent = choice.join_url;
    qrAddress = choice.address;
    followsDefault = choice.address === latest.default;
    // A reload keeps what the facilitator chose; the default needs no ?via=.
    const url = new URL(window.location.href);
    if (followsDefault) url.searchParams.delete("via");
    else url.searchParams.set("via", choice.address);
    window.history.replaceState(null, "", url.pathname + url.search);
    renderOtherAddresses();
    renderBanner();
    renderAddressList(true);
  }

  function renderBanner() {
    if (!latest || latest.fixed || !qrAddress) {
      banner.hidden = true;
      return;
    }
    const gone = !latest.addresses.includes(qrAddress);
    const moved = followsDefault && latest.default !== qrAddress;
    suggestion = gone || moved ? choiceFor(latest.default) : null;
    banner.hidden = !suggestion;
    bannerNew.textContent = suggestion
      ? [
          gone ? format(strings.address_gone, { address: qrAddress }) : "",
          format(strings.address_new, { address: suggestion.join_url }),
        ].filter(Boolean).join(" ")
      : "";
    banner.dataset.address = suggestion ? suggestion.address : "";
  }

  /** Keep the "Werkt de QR-code niet?" links of the join panel in step with the addresses there are now. */
  function renderOtherAddresses() {
    const list = document.querySelector(".other-addresses ul");
    if (!list || !latest) return;
    setChildren(
      list,
      latest.addresses.map((address) => {
        const link = el("a", { text: address, attrs: { href: `${window.location.pathname}?via=${encodeURIComponent(address)}` } });
        link.addEventListener("click", (event) => {
          event.preventDefault();
          useAddress(address);
        });
        return el("li", {}, [link]);
      }),
    );
  }

  async function checkAddresses(selfCheck = false) {
    let body;
    try {
      body = await getJson(`${base}/network${selfCheck ? "?check=1" : ""}`);
    } catch {
      return; // the next round tries again
    }
    latest = body;
    if (selfCheck && body.listening) listening = body.listening;
    renderBanner();
    renderAddressList(selfCheck);
  }

  bannerUse.addEventListener("click", () => {
    if (suggestion) useAddress(suggestion.address);
  });

  // -- the address list in "Test de verbinding" --------------------------------------------------

  function renderAddressList(force = false) {
    if (!latest) return;
    const signature = JSON.stringify([latest.addresses, qrAddress, listening]);
    if (!force && signature === listSignature) return; // do not rebuild under the facilitator's pointer
    listSignature = signature;
    const rows = latest.addresses.map((address) => {
      const known = Object.prototype.hasOwnProperty.call(listening, address);
      const mark = known ? (listening[address] ? strings.reach_listening : strings.reach_not_listening) : "";
      return el("li", { className: "reach-address", dataset: { address, listening: known ? String(listening[address]) : "" } }, [
        el("span", { className: "reach-address-name", text: address }),
        mark ? el("span", { className: "reach-address-mark", text: mark }) : null,
        address === qrAddress
          ? el("span", { className: "reach-address-note", text: strings.reach_in_use })
          : button(strings.reach_use, () => useAddress(address)),
        latest.fixed ? null : button(strings.reach_test_via, () => startProbe(address)),
      ]);
    });
    if (latest.addresses.length === 1 && latest.addresses[0] === "127.0.0.1") {
      rows.push(el("li", { className: "reach-loopback", text: strings.reach_loopback }));
    }
    setChildren(addressList, rows);
  }

  // -- the test QR code -------------------------------------------------------------------------

  let probe = null; // {id, reached}
  let countdown = null;

  function stopCountdown() {
    clearInterval(countdown);
    countdown = null;
  }

  function showReached(via) {
    stopCountdown();
    probe.reached = true;
    reachStatus.textContent = format(strings.reach_reached, { via });
    reachStatus.dataset.state = "reached";
    reachSummary.textContent = "✓";
    reachCauses.hidden = true;
  }

  async function giveUp() {
    stopCountdown();
    const id = probe.id;
    try {
      const status = await getJson(`${base}/probes/${encodeURIComponent(id)}`);
      if (probe.id === id && status.reached_via) {
        showReached(status.reached_via);
        return;
      }
    } catch {
      // keep the verdict below
    }
    if (probe.id !== id || probe.reached) return;
    reachStatus.textContent = format(strings.reach_nothing, { seconds: probeWaitSeconds });
    reachStatus.dataset.state = "nothing";
    reachCauses.hidden = false;
    checkAddresses(true);
  }

  async function startProbe(address) {
    stopCountdown();
    reachCauses.hidden = true;
    reachStatus.dataset.state = "";
    reachStatus.textContent = "";
    let body;
    try {
      const response = await fetch(`${base}/probes`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ via: address || qrAddress || null }),
      });
      body = await response.json();
      if (!response.ok || !body.ok) throw new Error("probe");
    } catch {
      reachStatus.textContent = strings.error || "";
      return;
    }
    probe = { id: body.probe, reached: false };
    reachQr.src = body.qr;
    reachQr.hidden = false;
    reachUrl.textContent = body.url;
    reachStart.textContent = strings.reach_again;
    reachSummary.textContent = "";
    reachPanel.open = true;
    let left = probeWaitSeconds;
    reachStatus.dataset.state = "waiting";
    reachStatus.textContent = format(strings.reach_waiting, { seconds: left });
    countdown = setInterval(() => {
      left -= 1;
      if (left <= 0) giveUp();
      else reachStatus.textContent = format(strings.reach_waiting, { seconds: left });
    }, 1000);
  }

  reachStart.addEventListener("click", () => startProbe(qrAddress));
  $("reach-open")?.addEventListener("click", () => {
    reachPanel.open = true;
    reachPanel.scrollIntoView({ block: "start" });
  });
  reachPanel.addEventListener("toggle", () => {
    if (reachPanel.open) checkAddresses(true);
  });

  link.socket.on("probe_reached", (payload) => {
    if (probe && payload && payload.probe === probe.id) showReached(String(payload.via || ""));
  });

  checkAddresses();
  setInterval(() => checkAddresses(), checkSeconds * 1000);

  return { checkAddresses, useAddress };
}
