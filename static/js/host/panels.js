// The facilitator's panels under the projected view: tables (counts only, never names of people)
// and roles (inbrenger, tafelvoorzitter) for the current werkvorm.
import { format, setChildren } from "../realtime.js";
import { $, button, el } from "../dom.js";


/** Is the form being edited right now (then an update from the server must not overwrite it)? */
function busy(form) {
  return form.contains(document.activeElement) || form.dataset.dirty === "true";
}

export function createTablesPanel({ send, strings, notify }) {
  const countsList = $("table-counts");
  const countsEmpty = $("table-counts-empty");
  const summary = $("tables-summary");
  const form = $("tables-form");
  const countInput = $("table-count");
  const namesBox = $("table-names");
  let rows = [];

  function nameInputs(count, names) {
    const inputs = [];
    for (let n = 1; n <= count; n += 1) {
      const input = el("input", {
        className: "table-name-input",
        attrs: { type: "text", maxlength: 40, "data-table": n, "aria-label": format(strings.table_name, { n }) },
      });
      input.placeholder = format(strings.table_n, { n });
      input.value = names[n - 1] || "";
      inputs.push(input);
    }
    setChildren(namesBox, inputs);
  }

  function currentNames() {
    return Array.from(namesBox.querySelectorAll("input")).map((input) => input.value.trim());
  }

  function fillForm() {
    const numbered = rows.filter((r) => r.number !== null && r.number !== undefined);
    const count = numbered.reduce((most, r) => Math.max(most, r.number), 0);
    const names = [];
    for (const r of numbered) names[r.number - 1] = r.name || "";
    countInput.value = String(count);
    nameInputs(count, names);
  }

  countInput.addEventListener("input", () => {
    form.dataset.dirty = "true";
    const count = Math.max(0, Math.min(50, Number.parseInt(countInput.value, 10) || 0));
    nameInputs(count, currentNames());
  });
  namesBox.addEventListener("input", () => {
    form.dataset.dirty = "true";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const names = currentNames();
    const ack = await send("set_tables", { tables: names });
    if (ack.ok) {
      form.dataset.dirty = "false";
      notify(strings.tables_saved);
    }
  });

  return {
    /** Take the per-table counts from session_state or participants_changed. */
    update(tableRows) {
      rows = Array.isArray(tableRows) ? tableRows : [];
      const items = rows.map((r) => {
        const label = r.number === null || r.number === undefined
          ? strings.no_table
          : r.name ? `${format(strings.table_n, { n: r.number })} · ${r.name}` : format(strings.table_n, { n: r.number });
        return el("li", { className: "table-count-row", dataset: { table: r.number ?? "none" } }, [
          el("span", { className: "table-label", text: label }),
          el("span", {
            className: "table-count",
            text: format(strings.table_counts, { joined: r.joined, connected: r.connected }),
          }),
        ]);
      });
      setChildren(countsList, items);
      countsEmpty.hidden = items.length > 0;
      const numbered = rows.filter((r) => r.number !== null && r.number !== undefined).length;
      summary.textContent = numbered ? `(${numbered})` : "";
      if (!busy(form)) fillForm();
    },
  };
}

export function createRolesPanel({ send, strings, notify }) {
  const panel = $("roles-panel");
  const list = $("role-list");
  const empty = $("role-list-empty");
  const summary = $("roles-summary");
  const assignForm = $("assign-form");
  const assignRole = $("assign-role");
  const assignNumber = $("assign-number");
  const codeForm = $("code-form");
  const codeRole = $("code-role");
  const codeTable = $("code-table");
  const codeTableLabel = $("code-table-label");
  const codeBox = $("role-code");
  let step = null;

  const roleLabel = (role) => strings[`role_${role}`] || role;
  const perTable = (role) =>
    role === "tafelvoorzitter" || (role === "inbrenger" && step && step.inbrenger_mode === "table");

  function fillSelect(select, roles) {
    const chosen = select.value;
    setChildren(select, roles.map((r) => el("option", { text: roleLabel(r), attrs: { value: r } })));
    if (roles.includes(chosen)) select.value = chosen;
  }

  function syncTableField() {
    const needed = perTable(codeRole.value);
    codeTableLabel.hidden = !needed;
    codeTable.required = needed;
  }
  codeRole.addEventListener("change", syncTableField);

  assignForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const number = Number.parseInt(assignNumber.value, 10);
    if (!Number.isInteger(number) || number < 1) {
      notify(strings.need_number, "error");
      return;
    }
    const ack = await send("assign_role", { role: assignRole.value, number, item: step?.agenda_item });
    if (ack.ok) assignNumber.value = "";
  });

  codeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const role = codeRole.value;
    const table = perTable(role) ? Number.parseInt(codeTable.value, 10) : null;
    if (perTable(role) && !Number.isInteger(table)) {
      notify(strings.need_table, "error");
      return;
    }
    const ack = await send("create_role_code", { role, table, item: step?.agenda_item });
    if (!ack.ok) return;
    const where = table ? format(strings.table_n, { n: table }) : strings.whole_room;
    $("role-code-label").textContent = format(strings.code_for, { role: roleLabel(role), where });
    $("role-code-value").textContent = ack.code;
    codeBox.hidden = false;
  });
  $("role-code-close").addEventListener("click", () => {
    codeBox.hidden = true;
  });

  return {
    /** Show the roles of the current werkvorm: from session_state, phase_changed and roles_changed. */
    update(currentStep, roles) {
      step = currentStep;
      const available = step ? Object.keys(step.prompts || {}).filter((r) => r !== "deelnemer") : [];
      panel.hidden = available.length === 0;
      if (panel.hidden) return;
      if (!assignForm.contains(document.activeElement)) fillSelect(assignRole, available);
      if (!codeForm.contains(document.activeElement)) fillSelect(codeRole, available);
      syncTableField();
      const mine = (roles || [])
        .filter((r) => r.agenda_item === step.agenda_item)
        .sort((a, b) => a.role.localeCompare(b.role) || (a.table ?? 0) - (b.table ?? 0));
      const rows = mine.map((r) => {
        const table = r.table ?? null;
        const where = table === null ? strings.whole_room : format(strings.table_n, { n: table });
        let who = "";
        if (r.number) who = format(strings.phone_number, { n: r.number });
        else if (r.code) who = format(strings.open_code, { code: r.code });
        const item = step.agenda_item;
        const clear = button(strings.clear_role, () => send("clear_role", { role: r.role, table, item }), "card-toggle");
        return el("li", { className: "role-row", dataset: { role: r.role, table: r.table ?? "room" } }, [
          el("span", { className: "role-text", text: [roleLabel(r.role), where, who].filter(Boolean).join(" · ") }),
          clear,
        ]);
      });
      setChildren(list, rows);
      empty.hidden = rows.length > 0;
      summary.textContent = rows.length ? format(strings.roles_count, { n: rows.length }) : "";
    },
  };
}
