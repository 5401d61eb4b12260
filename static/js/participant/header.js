// The phone's header: phase, timer, "Jouw nummer", the table with its picker; and the role code entry.
import { format, setChildren } from "../realtime.js";
import { $, el, focusLost, showMessage } from "../dom.js";

const FALLBACK_TABLES = 12;

/** The phase timer: counts down locally from the server's remaining seconds. */
export function createTimer(ctx) {
  const node = $("timer");
  let timer = null; // {duration, remaining, running}
  let receivedAt = 0;
  let ticking = null;

  function remaining() {
    if (!timer) return 0;
    return timer.running ? timer.remaining - (Date.now() - receivedAt) / 1000 : timer.remaining;
  }

  function render() {
    if (!timer) {
      node.hidden = true;
      return;
    }
    node.hidden = false;
    const left = remaining();
    const over = left <= 0;
    node.classList.toggle("over", over);
    node.classList.toggle("paused", !timer.running && !over);
    if (over) {
      node.textContent = ctx.strings.time_up;
      return;
    }
    const seconds = Math.ceil(left);
    const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    // A prepared timer nobody started yet is not "paused": the facilitator has not begun the phase's time.
    const untouched = !timer.running && timer.remaining >= timer.duration - 0.5;
    const waiting = untouched ? ctx.strings.not_started : ctx.strings.paused;
    node.textContent = timer.running ? clock : format(waiting, { time: clock });
  }

  return {
    set(value) {
      timer = value || null;
      receivedAt = Date.now();
      if (ticking) clearInterval(ticking);
      ticking = timer && timer.running ? setInterval(render, 500) : null;
      render();
    },
  };
}

/** The number, the table, and the table picker (header link and the inline picker for table work). */
export function createTables(ctx, { onSeated }) {
  const picker = $("table-picker");
  const grid = $("table-grid");
  const inlineGrid = $("table-grid-inline");
  const error = $("table-error");
  const toggle = $("change-table");
  let busy = false;

  function tableLabel(number) {
    const table = (ctx.tables || []).find((t) => t.number === number);
    return table && table.name ? table.name : format(ctx.strings.table, { n: number });
  }

  function choices() {
    const tables = ctx.tables && ctx.tables.length ? ctx.tables.map((t) => t.number) : [];
    if (!tables.length) for (let n = 1; n <= FALLBACK_TABLES; n += 1) tables.push(n);
    if (ctx.me.table && !tables.includes(ctx.me.table)) tables.push(ctx.me.table);
    return tables;
  }

  async function choose(table, errorNode) {
    if (busy) return;
    busy = true;
    const fromHeader = picker.contains(document.activeElement); // asked before the new state redraws the picker
    showMessage(errorNode, "");
    const ack = await ctx.link.request("choose_table", { session: ctx.sessionId, table });
    busy = false;
    if (!ack.ok) {
      showMessage(errorNode, ack.error && ack.error.message ? ack.error.message : ctx.strings.error);
      return;
    }
    ctx.me.table = ack.table; // the server sends the whole state for the new table right after
    close();
    onSeated();
    // The picker closed (or the inline one gave way to the table's work) around the focus: put it somewhere sensible.
    if (focusLost()) {
      const next = fromHeader ? toggle : document.querySelector("#table-kinds .table-kind h2");
      if (next) next.focus();
    }
  }

  function buttons(errorNode, withNone) {
    const nodes = choices().map((number) =>
      el("button", {
        type: "button",
        className: "button table-choice",
        text: tableLabel(number),
        attrs: { "aria-pressed": ctx.me.table === number ? "true" : "false", "data-table": number },
        on: { click: () => choose(number, errorNode) },
      }),
    );
    if (withNone) {
      nodes.push(
        el("button", {
          type: "button",
          className: "button table-choice wide",
          text: ctx.strings.no_table_choice,
          attrs: { "aria-pressed": ctx.me.table == null ? "true" : "false" },
          on: { click: () => choose(null, errorNode) },
        }),
      );
    }
    return nodes;
  }

  function open() {
    setChildren(grid, buttons(error, true));
    showMessage(error, "");
    picker.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    window.scrollTo(0, 0); // the picker sits at the top, under the header
  }

  function close() {
    picker.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
  }

  toggle.addEventListener("click", () => (picker.hidden ? open() : close()));
  $("table-close").addEventListener("click", close);

  return {
    label: tableLabel,
    choose,
    render() {
      $("my-number").textContent = ctx.me.number ? format(ctx.strings.number, { n: ctx.me.number }) : "";
      $("my-table").textContent = ctx.me.table ? tableLabel(ctx.me.table) : ctx.strings.no_table;
      if (!picker.hidden) setChildren(grid, buttons(error, true));
    },
    /** Fill the inline picker shown where a table is needed first. */
    renderInline(errorNode) {
      setChildren(inlineGrid, buttons(errorNode, false));
    },
    open,
  };
}

/** "Heb je een code van de gespreksleider?": take a role with a one-time code. */
export function createRoleCode(ctx, { onRoles }) {
  const form = $("role-form");
  const input = $("role-code-input");
  const result = $("role-result");
  const error = $("role-error");
  const button = $("role-submit");

  let shownFor = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = input.value.trim();
    showMessage(error, "");
    showMessage(result, "");
    if (!code || button.getAttribute("aria-disabled") === "true") return;
    // aria-disabled, not disabled, while asking: a disabled button would drop the keyboard focus.
    button.setAttribute("aria-disabled", "true");
    const ack = await ctx.link.request("claim_role", { session: ctx.sessionId, code });
    button.removeAttribute("aria-disabled");
    if (!ack.ok) {
      showMessage(error, ack.error && ack.error.message ? ack.error.message : ctx.strings.error);
      return;
    }
    input.value = "";
    ctx.me.roles = ack.roles || {};
    if (ack.table !== undefined) ctx.me.table = ack.table;
    const current = ctx.step ? ctx.me.roles[ctx.step.agenda_item] : null;
    const role = current || Object.values(ctx.me.roles)[0] || "deelnemer";
    showMessage(result, `${ctx.strings.role_done} ${ctx.strings[`role_${role}`] || ""}`.trim());
    shownFor = ctx.step ? `${ctx.step.agenda_item}:${ctx.step.phase}` : null;
    onRoles();
  });

  return {
    /** The "Gelukt!" line belongs to the phase it was given in; the banner says the role after that. */
    render() {
      const step = ctx.step ? `${ctx.step.agenda_item}:${ctx.step.phase}` : null;
      if (!result.hidden && step !== shownFor) {
        showMessage(result, "");
        $("role-code").open = false;
      }
    },
  };
}
