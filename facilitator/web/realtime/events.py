"""The event catalogue: the name of every Socket.IO event a page sends or hears, with its payload and rooms."""

from __future__ import annotations

# -- client -> server ------------------------------------------------------------------------
#: Any page, after every (re)connect: {session, role: "host"|"participant", token?}.
JOIN_SESSION = "join_session"
#: A phone: {session, client_id, text, kind?, bucket?, tags?, function?, shared?, agenda_item?}.
SUBMIT_CONTRIBUTION = "submit_contribution"
#: A phone: {session, table}: sit at another table (null: no table).
CHOOSE_TABLE = "choose_table"
#: A phone: {session, code}: take the role a one-time code stands for.
CLAIM_ROLE = "claim_role"
#: A phone: {session}: become the spokesperson of one's table in the current werkvorm.
CLAIM_SPOKESPERSON = "claim_spokesperson"
#: A phone: {session, kind, slot, text, base_version}: save the table's shared draft.
SAVE_TABLE_DRAFT = "save_table_draft"
#: The spokesperson's phone: {session, kind}: submit the table's drafts.
SUBMIT_TABLE_DRAFTS = "submit_table_drafts"
#: A phone: {session, id, shared}: share a private answer with the room, or take it back.
SET_CONTRIBUTION_SHARED = "set_contribution_shared"
#: The inbrenger's phone: {session, id, starred}.
STAR_CONTRIBUTION = "star_contribution"
#: A phone: {session, target, on}: place or take back a dot.
CAST_VOTE = "cast_vote"
#: The host: {session, id, hidden}.
SET_CONTRIBUTION_HIDDEN = "set_contribution_hidden"
#: The host: {session, id, bucket}.
MOVE_CONTRIBUTION = "move_contribution"
#: The host: {session}.
ADVANCE_PHASE = "advance_phase"
#: The host: {session}.
PREVIOUS_PHASE = "previous_phase"
#: The host: {session, item, phase} (indexes).
GO_TO_PHASE = "go_to_phase"
#: The host: {session, action: "start"|"pause"|"add"|"reset", seconds?}.
CONTROL_TIMER = "control_timer"
#: The host: {session}: reveal the current hidden-until-reveal phase.
REVEAL_PHASE = "reveal_phase"
#: The host: {session, tables: [name, ...]}.
SET_TABLES = "set_tables"
#: The host: {session, role, number, item?}: give a role to the phone showing that number.
ASSIGN_ROLE = "assign_role"
#: The host: {session, role, table?, item?}: make a one-time code for a role.
CREATE_ROLE_CODE = "create_role_code"
#: The host: {session, role, table?, item?}.
CLEAR_ROLE = "clear_role"
#: The host: {session, item, action, ...}: move a card, add/rename/remove/merge/split/reorder themes, undo,
#: set the rode draad (see docs/events.md for each action's fields).
EDIT_BOARD = "edit_board"
#: The host: {session, item, mode: "suggest"|"sort", count?}: let the clusterer propose themes or sort the rest.
SUGGEST_THEMES = "suggest_themes"
#: A phone: {session, id, theme? | new_theme?}: put one's own contribution under a theme on the board.
PLACE_CONTRIBUTION = "place_contribution"
#: The host: {session, closing}: start (or stop) asking the phones for addresses for the verslag.
SET_CLOSING = "set_closing"
#: A phone, while the host asks: {session, email, consent: true}: send me the verslag at this address.
REQUEST_VERSLAG = "request_verslag"
#: A phone: {session}: forget my address for the verslag.
WITHDRAW_VERSLAG_REQUEST = "withdraw_verslag_request"
#: The host: {session, id, approved?}: let a contribution through to the beamer (approved: true by default), or
#: hold it back again, where its agenda item asks to approve first.
APPROVE_CONTRIBUTION = "approve_contribution"
#: The host: {session, item?}: approve every contribution of an agenda item (the current one by default) that waits.
APPROVE_ALL = "approve_all"
#: The host: {session, large?, qr?: "auto"|"large"|"small"}: the beamer's large type and the size of its QR code.
SET_BEAMER_VIEW = "set_beamer_view"

# -- server -> client ------------------------------------------------------------------------
#: The whole state one client needs, sent to that client only after join_session (and after a role change).
SESSION_STATE = "session_state"
#: {contribution}: to the host room, the author's room, listening inbrengers and (table items) the table.
CONTRIBUTION_ADDED = "contribution_added"
#: {contribution}: after hiding, moving, starring, sharing or resubmitting; to the same rooms.
CONTRIBUTION_UPDATED = "contribution_updated"
#: {joined, connected, tables: [{number, name, joined, connected}]}: to the host room.
PARTICIPANTS_CHANGED = "participants_changed"
#: {step, timer}: to the host and phones rooms.
PHASE_CHANGED = "phase_changed"
#: {timer}: to the host and phones rooms.
TIMER_CHANGED = "timer_changed"
#: {tables: [{number, name}]}: to the phones room.
TABLES_CHANGED = "tables_changed"
#: {roles: [{agenda_item, role, table, number, code}]}: to the host room.
ROLES_CHANGED = "roles_changed"
#: {draft}: to the table's room and the host room.
TABLE_DRAFT_CHANGED = "table_draft_changed"
#: {agenda_item, tallies: {target: dots}}: to the host room.
VOTES_CHANGED = "votes_changed"
#: {board}: the whole board to the host room; {board: {agenda_item, themes: [{id, name}]}} to the phones
#: room while they place their contributions on it.
BOARD_CHANGED = "board_changed"
#: {placements: {contribution: theme}}: to one participant's room, when its cards' themes changed while placing.
PLACEMENTS_CHANGED = "placements_changed"
#: {closing}: to the host and phones rooms, when the facilitator starts or stops asking for addresses.
CLOSING_CHANGED = "closing_changed"
#: {count}: how many phones asked for the verslag; to the host room only (never the addresses).
MAIL_OPTINS_CHANGED = "mail_optins_changed"
#: {}: the bijeenkomst was deleted; to the host and phones rooms, which then forget it.
SESSION_ENDED = "session_ended"
#: {message}: storing failed (a full disk, a read-only folder); to the host room, at most once per
#: STORAGE_WARNING_EVERY seconds while writes keep failing. Phones keep what was not stored.
STORAGE_WARNING = "storage_warning"
#: {}: a write worked again after storage_warning; to the host room, once.
STORAGE_OK = "storage_ok"
#: {probe, via}: a phone opened the host view's test QR code (/t/<probe>) through address:port `via`;
#: to the host room of the bijeenkomst that made the test.
PROBE_REACHED = "probe_reached"
#: {contribution}: to the beamer room: a contribution the room may now see, new or changed (room-safe fields only).
BEAMER_CONTRIBUTION = "beamer_contribution"
#: {id}: to the beamer room: a contribution the beamer must no longer show (hidden, held back, taken back).
BEAMER_CONTRIBUTION_REMOVED = "beamer_contribution_removed"
#: {board}: to the beamer room while it shows a board: its themes with the cards the room may see.
BEAMER_BOARD = "beamer_board"
#: {large, qr}: to the host and beamer rooms, when the facilitator switches the beamer's large type or QR code.
BEAMER_VIEW_CHANGED = "beamer_view_changed"
#: {}: to the remote room when the regie revokes the phone remote's token ("Intrekken"); its connections are dropped.
REMOTE_REVOKED = "remote_revoked"

#: The host events a phone remote may send (with the remote token of that bijeenkomst); every other one is refused.
REMOTE_EVENTS = frozenset({
    ADVANCE_PHASE, PREVIOUS_PHASE, CONTROL_TIMER, REVEAL_PHASE, APPROVE_CONTRIBUTION, SET_CONTRIBUTION_HIDDEN,
})

CLIENT_EVENTS = (
    JOIN_SESSION, SUBMIT_CONTRIBUTION, CHOOSE_TABLE, CLAIM_ROLE, CLAIM_SPOKESPERSON, SAVE_TABLE_DRAFT,
    SUBMIT_TABLE_DRAFTS, SET_CONTRIBUTION_SHARED, STAR_CONTRIBUTION, CAST_VOTE, SET_CONTRIBUTION_HIDDEN,
    MOVE_CONTRIBUTION, ADVANCE_PHASE, PREVIOUS_PHASE, GO_TO_PHASE, CONTROL_TIMER, REVEAL_PHASE, SET_TABLES,
    ASSIGN_ROLE, CREATE_ROLE_CODE, CLEAR_ROLE, EDIT_BOARD, SUGGEST_THEMES, PLACE_CONTRIBUTION, SET_CLOSING,
    REQUEST_VERSLAG, WITHDRAW_VERSLAG_REQUEST, APPROVE_CONTRIBUTION, APPROVE_ALL, SET_BEAMER_VIEW,
)
SERVER_EVENTS = (
    SESSION_STATE, CONTRIBUTION_ADDED, CONTRIBUTION_UPDATED, PARTICIPANTS_CHANGED, PHASE_CHANGED, TIMER_CHANGED,
    TABLES_CHANGED, ROLES_CHANGED, TABLE_DRAFT_CHANGED, VOTES_CHANGED, BOARD_CHANGED,
    PLACEMENTS_CHANGED, CLOSING_CHANGED, MAIL_OPTINS_CHANGED, SESSION_ENDED, STORAGE_WARNING, STORAGE_OK,
    PROBE_REACHED, BEAMER_CONTRIBUTION, BEAMER_CONTRIBUTION_REMOVED, BEAMER_BOARD, BEAMER_VIEW_CHANGED,
    REMOTE_REVOKED,
)

