"""The HTML report escapes every name, and its policy would stop a script that got through."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.injection import hostile

runner = CliRunner()
URL_ATTRIBUTES = {
    "href",
    "xlink:href",
    "src",
    "action",
    "formaction",
    "srcdoc",
    "data",
    "poster",
    "background",
}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("hostile")
    inventory = hostile.write(where)
    target = where / "report.html"
    result = runner.invoke(
        app,
        [
            "plan",
            str(inventory),
            "-o",
            str(target),
            "--as-of",
            "2026-11-29",
            "--title",
            hostile.SCRIPT,
        ],
    )
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(report: str) -> _Elements:
    parser = _Elements()
    parser.feed(report)
    return parser


def test_no_markup_from_names(parsed: _Elements) -> None:
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    # The report's own script, last, and before it the table's data, which never runs:
    # no name can close its block or open a tag in it.
    assert [attrs.get("type") for attrs in scripts] == ["application/json", None]
    assert "<" not in parsed.scripts[0] and hostile.SCRIPT not in parsed.scripts[0]
    assert "img" not in [tag for tag, _ in parsed.tags]
    for tag, attrs in parsed.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, (tag, attrs)
        for name in URL_ATTRIBUTES & attrs.keys():
            assert attrs[name].startswith("#"), (tag, name, attrs[name])  # in-page links only
    assert hostile.PWNED not in parsed.scripts[-1]


def test_names_are_shown_as_text(parsed: _Elements) -> None:
    text = "".join(parsed.text)
    assert hostile.SCRIPT in text  # the title, the portfolio and the application
    assert hostile.IMG in text
    assert hostile.DOT_HTML in text


def test_policy_allows_only_the_report_script(report: str, parsed: _Elements) -> None:
    policy = next(
        attrs["content"]
        for tag, attrs in parsed.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[-1].encode()).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'"
    style = report.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert directives["style-src"] == f"'sha256-{digest}'"  # no inline style of a name
    assert directives["default-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    # The policy comes before anything a name could be written into.
    assert report.index("Content-Security-Policy") < report.index("<title>")


def test_report_template_is_escaped_whatever_its_name(tmp_path: Path) -> None:
    """An include of a template whose name does not end in .html is escaped too: escaping
    follows the output format, not the file name."""
    mine = tmp_path / "templates"
    (mine / "report").mkdir(parents=True)
    (mine / "report" / "app.js").write_text("")
    (mine / "report.html.j2").write_text(
        '<meta http-equiv="Content-Security-Policy" content="x"><title>{{ title }}</title>'
        '{% include "part.txt" %}'
    )
    (mine / "part.txt").write_text("<p>{{ portfolio.name }}</p>")
    inventory = hostile.write(tmp_path)
    target = tmp_path / "r.html"
    result = runner.invoke(
        app, ["plan", str(inventory), "-o", str(target), "--templates", str(mine)]
    )
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert re.search(r"<p>&lt;script&gt;window\.__pwned=1&lt;/script&gt; &lt;img", html), html
