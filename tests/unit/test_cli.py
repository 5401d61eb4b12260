"""The serve command's port handling and the cluster command."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from click.testing import CliRunner

from facilitator.cli import bind_socket, main


def test_a_taken_port_falls_back_to_a_free_one() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        sock = bind_socket("127.0.0.1", port)
        try:
            chosen = sock.getsockname()[1]
            assert chosen != port
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            sock.close()
    finally:
        taken.close()


def test_port_zero_means_any_free_port() -> None:
    sock = bind_socket("127.0.0.1", 0)
    try:
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()


def test_serve_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--data-dir", "--public-url", "--no-browser"):
        assert option in result.output


def test_serve_reports_an_unusable_data_folder_plainly(tmp_path) -> None:
    import subprocess
    import sys

    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "serve", "--port", "0", "--data-dir", str(blocker / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Error: Rode Draad kan niet starten:" in result.stderr
    assert "Traceback" not in result.stderr


# --- facilitator cluster ---------------------------------------------------------------------------------------

NINE = [
    "Lange wachttijden voor jeugdhulp",
    "Vertrouwen opbouwen met ouders",
    "Geld en armoede in het gezin",
    "WACHTLIJST",
    "wantrouwen",
    "Te weinig financiën, armoede",
    "De wachtijden zijn te lang",
    "ouders vertrouwn de school",
    "Schulden en toeslagen",
]
NINE_THEMES = {
    "themes": [
        {"label": "wachttijden · lang", "items": [0, 3, 6]},
        {"label": "vertrouwen · ouders", "items": [1, 4, 7]},
        {"label": "armoede · toeslagen", "items": [2, 5, 8]},
    ]
}


def run_cluster(*args: str):
    return CliRunner().invoke(main, ["cluster", *args])


def test_cluster_reads_a_text_file_skipping_blank_lines(tmp_path) -> None:
    path = tmp_path / "bijdragen.txt"
    path.write_text("\n".join(NINE[:4]) + "\n\n   \n" + "\n".join(NINE[4:]) + "\n", encoding="utf-8")
    result = run_cluster(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == NINE_THEMES


def test_cluster_prints_dutch_headings_with_the_members_indented(tmp_path) -> None:
    path = tmp_path / "bijdragen.txt"
    path.write_text("\n".join(NINE), encoding="utf-8")
    result = run_cluster(str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "Thema 1: wachttijden · lang (3 bijdragen)",
        "    Lange wachttijden voor jeugdhulp",
        "    WACHTLIJST",
        "    De wachtijden zijn te lang",
        "",
    ]
    assert "Thema 3: armoede · toeslagen (3 bijdragen)" in result.stdout


def test_cluster_warns_about_too_few_themes(tmp_path) -> None:
    path = tmp_path / "bijdragen.txt"
    path.write_text("\n".join(NINE), encoding="utf-8")
    result = run_cluster(str(path), "--count", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Let op: minder dan 3 thema's. Een handvol werkt het best."


def test_cluster_reads_the_text_column_of_a_semicolon_csv(tmp_path) -> None:
    path = tmp_path / "export.csv"
    rows = "\n".join(f'{i};tafel {i % 3};"{text}"' for i, text in enumerate(NINE))
    path.write_text("id;tafel;text\n" + rows + "\n", encoding="utf-8")
    result = run_cluster(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == NINE_THEMES


def test_cluster_reads_the_first_column_of_a_csv_without_text_column(tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("bijdrage,tafel\n" + "\n".join(f'"{text}",1' for text in NINE) + "\n", encoding="utf-8")
    result = run_cluster(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == NINE_THEMES


def test_cluster_reads_items_from_json_and_sorts_under_typed_themes(tmp_path) -> None:
    path = tmp_path / "set.json"
    path.write_text(json.dumps({"items": [{"text": text, "label": "x"} for text in NINE]}), encoding="utf-8")
    result = run_cluster(str(path), "--themes", "Geld, Wachttijden ,Vertrouwen", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "themes": [
            {"label": "Geld", "items": [2, 5, 8]},
            {"label": "Wachttijden", "items": [0, 3, 6]},
            {"label": "Vertrouwen", "items": [1, 4, 7]},
        ]
    }


def test_cluster_count_sets_the_number_of_themes(tmp_path) -> None:
    path = tmp_path / "bijdragen.txt"
    path.write_text("\n".join(NINE), encoding="utf-8")
    result = run_cluster(str(path), "--count", "1", "--json")
    assert json.loads(result.stdout)["themes"][0]["items"] == list(range(9))


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("weg.txt", None, (), "Error: Bestand niet gevonden: {path}"),
        ("notities.docx", "tekst", (), "Error: Onbekend bestandstype .docx: gebruik .txt, .csv of .json."),
        ("leeg.txt", "\n  \n\n", (), "Error: Geen bijdragen gevonden in {path}."),
        ("leeg.csv", "", (), "Error: Het CSV-bestand {path} heeft geen kolommen."),
        ("kop.csv", "text\n", (), "Error: Geen bijdragen gevonden in {path}."),
        ("lijst.json", '["a", "b"]', (), 'Error: Het JSON-bestand {path} heeft geen lijst "items" met een "text" per bijdrage.'),
        ("b.txt", "Tijdsdruk\n", ("--themes", " , "), "Error: Geef bij --themes minstens één themanaam."),
        ("c.txt", "Tijdsdruk\n", ("--count", "0"), "Error: --count moet minstens 1 zijn."),
    ],
)
def test_cluster_reports_bad_input_in_one_dutch_line(tmp_path, name, content, args, message) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cluster(str(path), *args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message.format(path=path)
    assert "Traceback" not in result.output


def test_cluster_reports_broken_json_plainly(tmp_path) -> None:
    path = tmp_path / "kapot.json"
    path.write_text('{"items": [', encoding="utf-8")
    result = run_cluster(str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: Kan {path} niet lezen: ")
    assert len(result.stderr.strip().splitlines()) == 1


def _stored_afternoon(tmp_path):
    from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
    from facilitator.testing.verslag import afternoon

    repo = TinyDBRepository(tmp_path)
    afternoon(repo, TinyDBSeries(tmp_path))
    return repo


def test_list_shows_each_stored_bijeenkomst_with_its_id(tmp_path) -> None:
    _stored_afternoon(tmp_path)
    result = CliRunner().invoke(main, ["list", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # Kept 30 days after its date or its last activity (the files were written just now), whichever is later.
    kept_until = max(dt.date(2026, 11, 12), dt.date.today()) + dt.timedelta(days=30)
    assert result.output == (
        "middag2  2026-11-12 · Dialoogsessie ‘Veerkrachtige ouders’ · Mentale veerkracht van kinderen · "
        f"25 bijdragen · code ABC234 · bewaard tot en met {kept_until.isoformat()}\n"
    )


def test_list_says_so_when_the_folder_holds_no_data(tmp_path) -> None:
    result = CliRunner().invoke(main, ["list", "--data-dir", str(tmp_path / "leeg")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: Geen bijeenkomsten gevonden in {tmp_path / 'leeg'}."


def test_export_writes_markdown_by_id_or_join_code_and_warns_about_personal_data(tmp_path) -> None:
    _stored_afternoon(tmp_path)
    target = tmp_path / "verslag.md"
    result = CliRunner().invoke(main, ["export", "abc234", "--format", "md", "-o", str(target),
                                       "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Dialoogsessie ‘Veerkrachtige ouders’\n")
    assert "Solidariteit in de gemeenschap" in text and "verborgen door de gespreksleider" not in text
    # The fictional Finn in the case is flagged, as any first name would be; the organisers' numbers are not.
    assert result.output.splitlines() == [
        "Let op, mogelijk persoonsgegevens (voornaam): Finn",
        "Let op, mogelijk persoonsgegevens (voornaam): Finn",
        f"Geschreven: {target}",
    ]


def test_export_writes_a_word_file_with_the_default_name(tmp_path, monkeypatch) -> None:
    import docx

    _stored_afternoon(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "middag2", "--format", "docx", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "verslag-2026-11-12-dialoogsessie-veerkrachtige-ouders.docx"))
    assert document.paragraphs[0].text == "Dialoogsessie ‘Veerkrachtige ouders’"


def test_export_of_an_unknown_bijeenkomst_names_the_list_command(tmp_path) -> None:
    _stored_afternoon(tmp_path)
    result = CliRunner().invoke(main, ["export", "nope", "--format", "csv", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Geen bijeenkomst met id of code nope. Zie: facilitator list"


def test_the_connection_timeouts_never_cut_a_live_phone() -> None:
    """Between Socket.IO's pings a live phone sends its pong; a socket may only time out later than engine.io
    itself would drop the phone, and a request head must be due well before that."""
    from facilitator import create_app

    app = create_app({"STORAGE": "memory", "TESTING": True})
    eio = app.extensions["socketio"].server.eio
    assert app.config["SOCKET_TIMEOUT_SECONDS"] > eio.ping_interval + eio.ping_timeout
    assert 5 <= app.config["REQUEST_HEAD_SECONDS"] < app.config["SOCKET_TIMEOUT_SECONDS"]
