"""The Jinja environment: sandboxed, strict, with migrator's templates and a user's overrides.

Templates live in ``templates/`` at the repository root and ship inside the wheel as
``migrator/templates``. ``--templates DIR`` puts a user's directory first: a file there
replaces the template of the same name, and the others still come from migrator.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from migrator.errors import UsageError


def builtin_templates() -> Path:
    packaged = resources.files("migrator") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    # An editable install or a source checkout: the repository's own templates/.
    return Path(__file__).resolve().parent.parent.parent / "templates"


class _PlanSandbox(SandboxedEnvironment):
    """The sandbox, with a short way for ``a.b`` on the plain mappings of a plan context.

    The context is made of dicts of plain values; reading one of their keys is safe, and
    doing it first saves the sandbox's attribute checks a million times on a large plan.
    Everything else (methods, attributes of other objects) goes through the sandbox.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(user_dir: Path | None = None) -> SandboxedEnvironment:
    search = [str(builtin_templates())]
    if user_dir is not None:
        if not user_dir.is_dir():
            raise UsageError(f"{user_dir}: templates directory not found")
        search.insert(0, str(user_dir))
    env = _PlanSandbox(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml"),
                                            default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=markdown_cell, days=_days, date=_date, money=_money)
    return env


def render(template: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render one template; template errors become a located usage error (exit 2)."""
    env = environment(user_dir)
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{exc.filename or exc.name}:{exc.lineno}: template error: "
                         f"{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        raise UsageError(f"{_where(exc, env)}template error: {exc}") from None


def _where(exc: BaseException, env: SandboxedEnvironment) -> str:
    """``file:line: `` of the template line an error was raised on (Jinja keeps template
    lines in the traceback's frames)."""
    loader = env.loader
    roots = tuple(loader.searchpath) if isinstance(loader, jinja2.FileSystemLoader) else ()
    place = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if roots and filename.startswith(roots):
            place = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return place


def markdown_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _days(value: float) -> str:
    return f"{value:,.0f}"


def _date(value: dt.date) -> str:
    return value.isoformat()
