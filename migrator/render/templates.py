"""The Jinja environment: sandboxed, strict, escaping for its output, with user overrides.

Templates live in ``templates/`` at the repository root and ship inside the wheel as
``migrator/templates``. ``--templates DIR`` puts a user's directory first: a file there
replaces the template of the same name, and the others still come from migrator.

Escaping follows the format of the output, not the name of each file: everything a
template writes into an HTML report is HTML-escaped (includes too, whatever their suffix),
and everything it writes into Markdown is Markdown-escaped (``migrator.render.escape``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import jinja2
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext
from markupsafe import Markup

from migrator.errors import UsageError
from migrator.render import escape, sandbox
from migrator.render.sandbox import BoundedSandbox

Format = Literal["html", "markdown", "text"]
MAX_TEMPLATE_BYTES = 4 * 2**20


def builtin_templates() -> Path:
    packaged = resources.files("migrator") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    # An editable install or a source checkout: the repository's own templates/.
    return Path(__file__).resolve().parent.parent.parent / "templates"


def output_format(template: str) -> Format:
    """What a template writes, from its name without ``.j2``: ``report.html.j2`` is HTML."""
    name = PurePosixPath(template.lower())
    if name.suffix in (".j2", ".jinja", ".jinja2"):
        name = name.with_suffix("")
    if name.suffix in (".html", ".htm", ".xhtml", ".xml", ".svg"):
        return "html"
    if name.suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


_LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
    }
)


class _PlanSandbox(BoundedSandbox):
    """The sandbox, with a short way for ``a.b`` on the plain mappings of a plan context.

    The context is made of dicts of plain values; reading one of their keys is safe, and
    doing it first saves the sandbox's attribute checks a million times on a large plan.
    So is reading the plain attributes of ``loop``. Everything else (methods, attributes
    of other objects) goes through the sandbox.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        elif type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)  # loop.last, 100,000 times in a large report
        return super().getattr(obj, attribute)


class _TemplateLoader(jinja2.FileSystemLoader):
    """Reads templates only from inside their directories, only regular files, only
    UTF-8: a link out of a ``--templates`` directory, a FIFO that would block, or a
    template that is not text is a located error, not something followed or guessed."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for root in self.searchpath:
            filename = os.path.normpath(os.path.join(root, *pieces))
            if os.path.lexists(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        real = os.path.realpath(filename)
        if not _inside(real, os.path.realpath(root)):
            raise _unusable(
                template, filename, f"a link to {real}, outside the templates directory {root}"
            )
        try:
            info = os.stat(real)
            if not stat.S_ISREG(info.st_mode):
                raise _unusable(template, filename, "not a regular file")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise _unusable(
                    template,
                    filename,
                    f"{info.st_size:,} bytes, over the {MAX_TEMPLATE_BYTES:,} a template may have",
                )
            with open(real, "rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            raise _unusable(template, filename, exc.strerror or str(exc)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise jinja2.TemplateSyntaxError(
                f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column}",
                line,
                template,
                filename,
            ) from None
        return text, filename, lambda: True


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # on another drive
        return False


def _unusable(template: str, filename: str, why: str) -> jinja2.TemplateSyntaxError:
    return jinja2.TemplateSyntaxError(f"cannot use this template: {why}", 1, template, filename)


def environment(user_dir: Path | None = None, fmt: Format = "text") -> BoundedSandbox:
    """An environment for one render of ``fmt`` output (it counts that render's work)."""
    search = [str(builtin_templates())]
    if user_dir is not None:
        if not user_dir.is_dir():
            raise UsageError(f"{user_dir}: templates directory not found")
        search.insert(0, str(user_dir))
    env = _PlanSandbox(
        loader=_TemplateLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=fmt == "html",
        finalize=escape.markdown_finalizer() if fmt == "markdown" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., Any]] = {"days": _days, "date": _date, "money": _money}
    if fmt == "markdown":
        filters.update(md=escape.markdown, code=escape.markdown_code)
    elif fmt == "html":
        filters.update(csp_hash=_csp_hash)
    env.add_filters(filters)
    return env


def render(template: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render one template; every template error becomes a located usage error (exit 2)."""
    env = environment(user_dir, output_format(template))
    applications = context.get("applications")
    env.allow(len(applications) if isinstance(applications, list) else 0)
    try:
        return sandbox.render(env.get_template(template), context)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(
            f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"{_where(exc, env)}template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{_where(exc, env)}template error: {exc}") from None
    except RecursionError as exc:
        raise UsageError(
            f"{_where(exc, env)}template error: templates nest too deeply "
            f"(does one include itself, or a macro call itself?)"
        ) from None
    except MemoryError as exc:
        raise UsageError(f"{_where(exc, env)}template error: out of memory") from None
    except Exception as exc:  # an error of the template's own making: 1/0, int('x')
        raise UsageError(f"{_where(exc, env)}template error: {type(exc).__name__}: {exc}") from None


def _where(exc: BaseException, env: jinja2.Environment) -> str:
    """``file:line: `` of the innermost template line an error was raised on (Jinja puts
    template lines in the traceback's frames)."""
    loader = env.loader
    roots = (
        tuple(os.path.normpath(p) for p in loader.searchpath)
        if isinstance(loader, jinja2.FileSystemLoader)
        else ()
    )
    place = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if roots and filename.startswith(roots):
            place = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return place


def _csp_hash(script: str) -> Markup:
    """The Content Security Policy source that lets this one inline script (or style
    sheet) apply."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode()}'")


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise jinja2.TemplateRuntimeError(
            f"{name}: expected a number, got {type(value).__name__} {value!r:.40}"
        )
    return value


def _money(value: Any) -> str:
    return f"{_number(value, 'money'):,.0f}"


def _days(value: Any) -> str:
    return f"{_number(value, 'days'):,.0f}"


def _date(value: Any) -> str:
    if not isinstance(value, dt.date):
        raise jinja2.TemplateRuntimeError(
            f"date: expected a date, got {type(value).__name__} {value!r:.40}"
        )
    return value.isoformat()
