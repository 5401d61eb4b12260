// The inbrenger listening along (with stars), voting with dots, and placing one's own notes on the board.
export { createPlace } from "./place.js";
import { format } from "../realtime.js";
import { $, el, refill, showMessage } from "../dom.js";

/** "Luister mee": the roddel as it arrives, each with a big star toggle. */
export function createListen(ctx) {
  const section = $("listen");
  const list = $("listen-list");
  const empty = $("listen-empty");
  const error = $("listen-error");
  const busy = new Set();
  const nodes = new Map(); // id -> li, kept so a tap is not lost when a new item arrives

  function tagText(c) {
    const labels = [];
    for (const group of (ctx.step && ctx.step.tag_groups) || []) {
      const option = group.options.find((o) => (c.tags || []).includes(o.id));
      if (option) labels.push(option.label);
    }
    return labels.join(" · ");
  }

  async function star(c) {
    if (busy.has(c.id)) return;
    busy.add(c.id);
    showMessage(error, "");
    const ack = await ctx.link.request("star_contribution", { session: ctx.sessionId, id: c.id, starred: !c.starred });
    busy.delete(c.id);
    if (ack.ok) {
      const known = ctx.listening.get(c.id);
      if (known) ctx.listening.set(c.id, { ...known, starred: ack.starred });
    } else {
      showMessage(error, ack.error && ack.error.message ? ack.error.message : ctx.strings.error);
    }
    render();
  }

  function node(c) {
    let li = nodes.get(c.id);
    if (!li) {
      const button = el("button", { type: "button", className: "star" });
      li = el("li", { className: "listen-item" }, [
        el("div", { className: "listen-body" }, [el("p", { className: "listen-text" }), el("span", { className: "meta" })]),
        button,
      ]);
      nodes.set(c.id, li);
    }
    li.querySelector(".listen-text").textContent = c.text;
    const meta = li.querySelector(".meta");
    meta.textContent = tagText(c);
    meta.hidden = !meta.textContent;
    const button = li.querySelector(".star");
    button.textContent = c.starred ? "★" : "☆";
    button.setAttribute("aria-pressed", c.starred ? "true" : "false");
    button.setAttribute("aria-label", c.starred ? ctx.strings.star_off : ctx.strings.star_on);
    // aria-disabled, not disabled: a disabled button would drop the keyboard focus while the star is saved.
    if (busy.has(c.id)) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
    button.onclick = () => star(ctx.listening.get(c.id) || c);
    li.classList.toggle("starred", Boolean(c.starred));
    return li;
  }

  function render() {
    const listening = ctx.view() === "listen";
    section.hidden = !listening;
    document.body.classList.toggle("is-listening", listening);
    if (!listening) return;
    const step = ctx.step;
    const items = Array.from(ctx.listening.values())
      .filter((c) => !c.hidden && c.agenda_item === step.agenda_item && c.phase === step.phase)
      .sort((a, b) => (b.created_at || 0) - (a.created_at || 0));
    for (const id of Array.from(nodes.keys())) if (!ctx.listening.has(id)) nodes.delete(id);
    const rows = items.map(node);
    refill(list, rows);
    empty.hidden = items.length > 0;
  }

  return { render };
}

/** Voting: tap a row to place a dot, tap again to take it back. */
export function createVote(ctx) {
  const section = $("vote");
  const list = $("vote-list");
  const left = $("vote-left");
  const empty = $("vote-empty");
  const error = $("vote-error");
  const busy = new Set();
  const lastTap = new Map();
  const rows = new Map(); // target id -> li, kept so the button just pressed keeps the keyboard focus
  // Two taps this close together are one double tap, not "place and take back".
  const DOUBLE_TAP_MS = 500;

  function mine() {
    return new Set((ctx.step && ctx.votes[ctx.step.agenda_item]) || []);
  }

  async function cast(target, byKeyboard) {
    const now = Date.now();
    if (busy.has(target)) return;
    // A key press is meant (and a screen reader's double tap arrives as one click): only taps are debounced.
    if (!byKeyboard && now - (lastTap.get(target) || 0) < DOUBLE_TAP_MS) return;
    lastTap.set(target, now);
    const item = ctx.step.agenda_item;
    const on = !mine().has(target);
    busy.add(target);
    showMessage(error, "");
    render();
    const ack = await ctx.link.request("cast_vote", { session: ctx.sessionId, target, on });
    busy.delete(target);
    if (ack.ok) ctx.votes[item] = ack.votes || [];
    else showMessage(error, ack.error && ack.error.message ? ack.error.message : ctx.strings.error);
    render();
  }

  function row(target, on) {
    let li = rows.get(target.id);
    if (!li) {
      li = el("li", {}, [
        el("button", {
          type: "button",
          className: "vote-target",
          attrs: { "data-target": target.id },
          on: { click: (event) => cast(target.id, event.detail === 0) },
        }, [
          el("span", { className: "vote-text" }),
          el("span", { className: "vote-dot", attrs: { "aria-hidden": "true" } }),
          el("span", { className: "visually-hidden vote-on", text: ctx.strings.vote_on }),
        ]),
      ]);
      rows.set(target.id, li);
    }
    const button = li.firstChild;
    button.querySelector(".vote-text").textContent = target.text;
    button.querySelector(".vote-on").hidden = !on;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    // aria-disabled, not disabled, while the dot is saved: a disabled button would drop the keyboard focus.
    if (busy.has(target.id)) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
    return li;
  }

  function render() {
    const voting = ctx.view() === "vote";
    section.hidden = !voting;
    if (!voting) return;
    const vote = ctx.step.vote || { dots: 0, targets: [] };
    const chosen = mine();
    left.textContent = format(ctx.strings.votes_left, { left: Math.max(0, vote.dots - chosen.size), dots: vote.dots });
    const ids = new Set(vote.targets.map((t) => t.id));
    for (const id of Array.from(rows.keys())) if (!ids.has(id)) rows.delete(id);
    const nodes = vote.targets.map((target) => row(target, chosen.has(target.id)));
    refill(list, nodes);
    empty.hidden = vote.targets.length > 0;
  }

  return { render };
}
