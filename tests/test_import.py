"""Importing plans: every bad file gets one clear line, and nothing else in the batch is lost."""

import json
import shutil

import pytest
from pypdf import PdfReader, PdfWriter

from ehcaudit.ingest.read_plan import analyse_pdf
from ehcaudit.errors import PdfError
from ehcaudit.ingest.importer import import_plans, read_metadata
from ehcaudit.store import open_db
from ehcaudit.store.plans import list_plans, plan_sections
from pdfmaker import blocks_for, make_plan
from test_sections import STATUTORY


def encrypted(src, dst, password="secret"):
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    with open(dst, "wb") as f:
        writer.write(f)


def scanned(dst):
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "Section A: All about me", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(dst))


@pytest.fixture
def bad_files(tmp_path, sample_plans_dir):
    folder = tmp_path / "bad"
    folder.mkdir()
    good = sample_plans_dir / "plan-01.pdf"
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "letter.pdf").write_text("Dear parent, this is a Word document saved with the wrong name.")
    data = good.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    encrypted(good, folder / "locked.pdf")
    scanned(folder / "scanned.pdf")
    return folder


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.pdf", "the file is empty"),
        ("letter.pdf", "not a PDF"),
        ("truncated.pdf", "damaged or truncated"),
        ("corrupt.pdf", "damaged or truncated"),
        ("locked.pdf", "password-protected"),
        ("scanned.pdf", "OCR"),
    ],
)
def test_each_bad_file_gets_one_clear_line_from_inspect(cli, bad_files, name, reason):
    result = cli("inspect", str(bad_files / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert name in line and reason in line


def test_a_one_line_text_pdf_is_read_not_taken_for_a_scan(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "DoB 05.11.16")
    pdf.output(str(tmp_path / "short.pdf"))
    plan = analyse_pdf(tmp_path / "short.pdf")
    assert plan.unredacted and plan.findings[0].kind == "date_of_birth"


def test_a_pdf_with_only_an_owner_password_still_opens(tmp_path, sample_plans_dir):
    writer = PdfWriter(clone_from=PdfReader(sample_plans_dir / "plan-01.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    with open(tmp_path / "print-locked.pdf", "wb") as f:
        writer.write(f)
    assert len(analyse_pdf(tmp_path / "print-locked.pdf").sections) == 12


def test_a_missing_file_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(PdfError, match="no such file"):
        analyse_pdf(tmp_path / "nope.pdf")


def test_a_mixed_batch_imports_every_good_plan(cli, tmp_path, bad_files, sample_plans_dir):
    batch = tmp_path / "batch"
    shutil.copytree(bad_files, batch)
    for name in ("plan-01.pdf", "plan-02.pdf", "plan-03.pdf"):
        shutil.copy(sample_plans_dir / name, batch / name)
    (batch / "sub").mkdir()
    shutil.copy(sample_plans_dir / "plan-04.pdf", batch / "sub" / "plan-04.pdf")
    shutil.copy(sample_plans_dir / "plan-01.pdf", batch / "sub" / "copy-of-plan-01.pdf")  # a duplicate
    db = tmp_path / "batch.db"
    result = cli("import", str(batch), "--db", str(db), "--cohort", "2026-11")
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1] == "imported 4, duplicates 1, failed 6"
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 7  # one line per bad file or duplicate
    labels = sorted(p.label for p in list_plans(open_db(db)))
    assert labels == ["plan-01", "plan-02", "plan-03", "plan-04"]
    again = cli("import", str(sample_plans_dir / "plan-02.pdf"), "--db", str(db))
    assert again.returncode == 0 and again.stdout.strip() == "imported 0, duplicates 1, failed 0"
    assert "duplicate" in again.stderr


def test_import_stores_pages_sections_cohort_and_metadata(tmp_path, sample_plans_dir):
    db = open_db(tmp_path / "a.db")
    report = import_plans(db, [sample_plans_dir], cohort="2026-11", metadata=read_metadata(sample_plans_dir / "metadata.csv"))
    assert report.imported >= 12 and report.failed == 0
    plan = next(p for p in list_plans(db) if p.label == "plan-04")
    assert plan.cohort == "2026-11" and plan.metadata["phase"] == "Secondary" and plan.metadata["team"] == "South"
    assert plan.page_count == db.execute("SELECT count(*) FROM pages WHERE plan_id = ?", [plan.id]).fetchone()[0]
    assert set(plan_sections(db, plan.id)) >= {"A", "B", "E", "F", "K"}
    assert any("covers H1 and H2" in w for w in (x.message for x in plan.warnings))
    sha = db.execute("SELECT sha256 FROM plans WHERE id = ?", [plan.id]).fetchone()[0]
    assert len(sha) == 64


def test_parallel_import_gives_the_same_result(tmp_path, sample_plans_dir):
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    import_plans(one, [sample_plans_dir], jobs=1)
    import_plans(two, [sample_plans_dir], jobs=2)
    q = "SELECT p.label, s.code, s.text FROM sections s JOIN plans p ON p.id = s.plan_id ORDER BY 1, 2"
    assert one.execute(q).fetchall() == two.execute(q).fetchall()


def test_metadata_csv_problems_are_one_line(cli, tmp_path, sample_plans_dir):
    bad = tmp_path / "meta.csv"
    bad.write_text("name,phase\nplan-01.pdf,Primary\n")
    result = cli("import", str(sample_plans_dir), "--db", str(tmp_path / "m.db"), "--meta", str(bad))
    assert result.returncode == 1 and "needs a 'file' column" in result.stderr and "Traceback" not in result.stderr


def test_unredacted_plan_warns_and_can_be_refused(cli, tmp_path):
    headings = dict(STATUTORY)
    blocks = blocks_for(headings)
    blocks[0].body = ["Name: Sam Example. Date of birth: 14/02/2016. NHS number 943 476 5919. Home: LS1 4AP."]
    make_plan(tmp_path / "leaky.pdf", blocks)
    inspected = json.loads(cli("inspect", str(tmp_path / "leaky.pdf"), "--format", "json").stdout)
    assert inspected["warnings"][0].startswith("looks unredacted")
    warned = cli("import", str(tmp_path / "leaky.pdf"), "--db", str(tmp_path / "w.db"))
    assert warned.returncode == 0 and "looks unredacted" in warned.stderr
    refused = cli("import", str(tmp_path / "leaky.pdf"), "--db", str(tmp_path / "r.db"), "--refuse-unredacted")
    assert refused.returncode == 1 and "refused" in refused.stderr
    assert refused.stdout.strip() == "imported 0, duplicates 0, failed 1"


def test_a_300_page_plan_imports(tmp_path):
    make_plan(tmp_path / "huge.pdf", blocks_for(STATUTORY), extra_pages=299)
    db = open_db(tmp_path / "h.db")
    report = import_plans(db, [tmp_path / "huge.pdf"])
    assert report.imported == 1
    [plan] = list_plans(db)
    assert plan.page_count >= 300 and len(plan.section_codes) == 12


def test_inspect_json_contract(cli, sample_plans_dir):
    data = json.loads(cli("inspect", str(sample_plans_dir / "plan-01.pdf"), "--format", "json").stdout)
    # Fields are only ever added: every older key is still there.
    assert set(data) == {"file", "sha256", "pages", "sections", "warnings", "personal_data", "set_aside"}
    assert data["personal_data"] == []
    assert isinstance(data["pages"], int) and len(data["sha256"]) == 64
    codes = [s["code"] for s in data["sections"]]
    assert len(codes) == len(set(codes))
    for s in data["sections"]:
        assert set(s) == {"code", "heading", "score", "page_start", "page_end", "text", "why", "states_none"}
        assert s["code"] in {"A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"}
        assert 0 <= s["score"] <= 100 and s["page_start"] <= s["page_end"]
        assert not s["text"].startswith(s["heading"])
    for a in data["set_aside"]:
        assert set(a) == {"page", "text", "why"} and 1 <= a["page"] <= data["pages"]


def test_import_of_nothing_that_exists(cli, tmp_path):
    result = cli("import", str(tmp_path / "nowhere"), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 1 and "no such file or folder" in result.stderr
    assert result.stdout.strip() == "imported 0, duplicates 0, failed 1"
