"""Parameters: layered YAML, validated against each notebook's own parameters cell.

Layers, lowest first: ``params/defaults.yaml`` < ``params/<YYYY-MM>.yaml`` < ``--params FILE`` (in
order) < ``-p key=value``. Keys are flat (valid Python names, so the same file also works with
``papermill -f``). A key applies to every notebook that declares it; a key that no notebook of the run
declares is an error, reported before any kernel starts.

Values are checked against the declared type (``name: int = 3``), against ``one of: a, b`` lists in the
help comment, months must be ``YYYY-MM`` (or ``auto``/empty), and a folder ``source`` must exist.
Secrets are never parameters: keys that look like credentials are rejected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ONE_OF = re.compile(r"one of:\s*(.+?)\s*(?:[;.]|$)", re.I)
_SECRET = re.compile(r"(password|passwd|secret|token|api_?key|credential)", re.I)


class ParamError(ValueError):
    """A parameter problem; the message names the key, the layer and what is allowed."""


#: whole-number parameters outside this range are typos (no count, month span or year is larger)
INT_RANGE = (0, 100_000)
#: pairs (low, high) a notebook needs in order; ``coverage_*`` runs the other way (lower is worse)
ORDERED = (("k_min", "k_max"), ("hhi_amber", "hhi_red"), ("top5_amber", "top5_red"),
           ("at_risk_amber", "at_risk_red"), ("churn_excess_amber", "churn_excess_red"),
           ("p_miss_amber", "p_miss_red"), ("stalled_amber", "stalled_red"),
           ("creep_amber", "creep_red"), ("departed_amber", "departed_red"),
           ("coverage_red", "coverage_amber"))
#: smallest sensible values
MINIMUM = {"k_min": 1, "k_max": 1, "top_n": 1, "top_risks": 1, "history_months": 1,
           "funnel_months": 1, "horizon": 1, "history_years": 1, "weekly_weeks": 1}


def check_credentials(value: Any, what: str) -> None:
    """Refuse a value holding a credential (URL user info, ``?password=``, ``;token=`` ...).

    The message names ``what`` and the environment variable to use, and is itself redacted.
    """
    from salesnb.secrets import check_no_credentials

    items = value if isinstance(value, (list, tuple)) else [value]
    for v in items:
        try:
            check_no_credentials(v if isinstance(v, str) else str(v), what=what)
        except ValueError as exc:
            raise ParamError(str(exc)) from None


@dataclass(frozen=True)
class Param:
    """One declared notebook parameter."""

    name: str
    type: str
    default: Any
    help: str

    @property
    def choices(self) -> list[str] | None:
        m = _ONE_OF.search(self.help or "")
        if not m:
            return None
        return [c.strip().strip("\"'") for c in m.group(1).split(",") if c.strip()]


def notebook_parameters(path: str | Path) -> dict[str, Param]:
    """The parameters a notebook declares in its ``parameters`` cell (via papermill)."""
    import nbformat
    from papermill.inspection import _infer_parameters

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:  # papermill expects every cell to carry a tags list
        cell.metadata.setdefault("tags", [])
    info = {p.name: p._asdict() for p in _infer_parameters(nb, name="python3", language="python")}
    out = {}
    for name, p in info.items():
        default = p.get("default")
        try:
            default = yaml.safe_load(default) if isinstance(default, str) else default
        except yaml.YAMLError:
            pass
        out[name] = Param(name, p.get("inferred_type_name") or "None", default, p.get("help") or "")
    return out


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read one parameter file: a flat mapping of names to values."""
    p = Path(path)
    if not p.exists():
        raise ParamError(f"parameter file {p} does not exist")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParamError(f"{p}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ParamError(f"{p}: expected a mapping of parameter names to values")
    for k, v in data.items():
        if not isinstance(k, str) or not k.isidentifier():
            raise ParamError(f"{p}: key {k!r} is not a valid parameter name (flat names only)")
        if isinstance(v, dict):
            raise ParamError(f"{p}: {k}: nested mappings are not parameters; use flat keys")
    return data


def parse_override(text: str) -> tuple[str, Any]:
    """``"key=value"`` → (key, value); the value is read as YAML (``3`` is an int, ``"x"`` text)."""
    if "=" not in text:
        raise ParamError(f"-p {text!r}: expected key=value")
    k, v = text.split("=", 1)
    k = k.strip()
    if not k.isidentifier():
        raise ParamError(f"-p {text!r}: {k!r} is not a valid parameter name")
    try:
        val = yaml.safe_load(v) if v.strip() else ""
    except yaml.YAMLError:
        val = v
    return k, val


def layered(
    *,
    month: str | None,
    params_dir: str | Path = "params",
    files: list[str | Path] = (),
    overrides: list[str] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge the layers; returns (values, origin) where origin names the layer each key came from."""
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    layers: list[tuple[str, dict]] = []
    pdir = Path(params_dir)
    if (pdir / "defaults.yaml").exists():
        layers.append((str(pdir / "defaults.yaml"), load_yaml(pdir / "defaults.yaml")))
    if month and MONTH.match(month) and (pdir / f"{month}.yaml").exists():
        layers.append((str(pdir / f"{month}.yaml"), load_yaml(pdir / f"{month}.yaml")))
    for f in files:
        layers.append((str(f), load_yaml(f)))
    if overrides:
        layers.append(("-p", dict(parse_override(o) for o in overrides)))
    for name, data in layers:
        for k, v in data.items():
            if _SECRET.search(k):
                raise ParamError(
                    f"{name}: {k!r} looks like a secret; credentials come from the environment "
                    "(e.g. PGPASSWORD), never from parameters"
                )
            check_credentials(v, f"{name}: parameter {k}")
            values[k] = v
            origin[k] = name
    return values, origin


def _short(value: Any, n: int = 40) -> str:
    r = repr(value)
    return r if len(r) <= n else f"{r[:n]}… ({len(r)} characters)"


def _coerce(p: Param, value: Any, where: str) -> Any:
    t = p.type
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or (isinstance(value, float) and not math.isfinite(value)) or int(value) != value:
            raise ParamError(f"{where}: {p.name} must be a whole number, got {value!r}")
        lo, hi = MINIMUM.get(p.name, INT_RANGE[0]), INT_RANGE[1]
        if not lo <= int(value) <= hi:
            raise ParamError(f"{where}: {p.name}={_short(value)} is out of range; "
                             f"allowed {lo}..{hi:,}")
        return int(value)
    if t == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"{where}: {p.name} must be a number, got {value!r}")
        if not math.isfinite(float(value)):
            raise ParamError(f"{where}: {p.name} must be a finite number, got {value!r}")
        return float(value)
    if t == "bool":
        if not isinstance(value, bool):
            raise ParamError(f"{where}: {p.name} must be true or false, got {value!r}")
        return value
    if t == "str":
        if isinstance(value, (dict, list)):
            raise ParamError(f"{where}: {p.name} must be text, got {value!r}")
        return "" if value is None else str(value)
    if t in ("list", "tuple") and not isinstance(value, list):
        raise ParamError(f"{where}: {p.name} must be a list, got {value!r}")
    if t == "dict" and not isinstance(value, dict):
        raise ParamError(f"{where}: {p.name} must be a mapping, got {value!r}")
    return value


#: parameters with a fixed form: name → (pattern, the accepted forms for the message)
FORMS = {
    "as_of": (re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$"),
              "a date YYYY-MM-DD (e.g. 2026-10-31), or empty: the export's date, else the latest "
              "date in any table"),
    "reporting_currency": (re.compile(r"^[A-Za-z]{3}$"),
                           "a three-letter ISO 4217 code (e.g. CNY, USD, EUR), or empty: the "
                           "data's single currency"),
}
#: whole-number parameters with a range of their own
RANGES = {"fiscal_year_start": (1, 12)}


def _check_form(name: str, v: Any, where: str) -> None:
    if name in FORMS and isinstance(v, str) and v.strip():
        rx, forms = FORMS[name]
        ok = bool(rx.match(v.strip()))
        if ok and name == "as_of":
            import datetime as _dt

            try:
                _dt.date.fromisoformat(v.strip()[:10])
            except ValueError:
                ok = False
        if not ok:
            raise ParamError(f"{where}: {name}={v!r} is not accepted; {name} must be {forms}")
    if name in RANGES and isinstance(v, int) and not RANGES[name][0] <= v <= RANGES[name][1]:
        lo, hi = RANGES[name]
        raise ParamError(f"{where}: {name}={v} is out of range; allowed {lo}..{hi}")


def check_value(p: Param, value: Any, where: str) -> Any:
    """Coerce and validate one value for parameter ``p``."""
    v = _coerce(p, value, where)
    choices = p.choices
    if choices and isinstance(v, str) and v not in choices:
        raise ParamError(f"{where}: {p.name}={v!r} is not allowed; one of: {', '.join(choices)}")
    if p.name in ("month", "as_of_month") and isinstance(v, str) and v not in ("", "auto"):
        if not MONTH.match(v):
            raise ParamError(f"{where}: {p.name} must look like YYYY-MM (e.g. 2026-10), got {v!r}")
    _check_form(p.name, v, where)
    if p.name == "source" and isinstance(v, str):
        if not (v == "demo" or v.startswith("demo:") or "://" in v) and not Path(v).expanduser().exists():
            raise ParamError(f"{where}: source folder {v!r} does not exist")
    return v


def resolve(
    values: dict[str, Any],
    origin: dict[str, str],
    notebooks: dict[str, dict[str, Param]],
) -> dict[str, dict[str, Any]]:
    """Per notebook, the validated values of the keys it declares.

    Raises
    ------
    ParamError
        For a key no notebook declares (with the closest names), or a bad value.
    """
    declared = {k for ps in notebooks.values() for k in ps}
    unknown = sorted(set(values) - declared)
    if unknown:
        import difflib

        msgs = []
        for k in unknown:
            close = difflib.get_close_matches(k, sorted(declared), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            msgs.append(f"{origin.get(k, '?')}: unknown parameter {k!r}{hint}")
        raise ParamError(
            "; ".join(msgs) + f". Parameters of these notebooks: {', '.join(sorted(declared))}"
        )
    out: dict[str, dict[str, Any]] = {}
    for nb, params in notebooks.items():
        out[nb] = {
            k: check_value(params[k], v, f"{origin.get(k, '?')} ({nb})")
            for k, v in values.items() if k in params
        }
        effective = {k: p.default for k, p in params.items()} | out[nb]
        for lo, hi in ORDERED:
            a, b = effective.get(lo), effective.get(hi)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > b:
                set_by = ", ".join(f"{k} from {origin[k]}" for k in (lo, hi) if k in origin)
                raise ParamError(f"{lo}={a} is larger than {hi}={b} ({nb}; {set_by or 'defaults'}):"
                                 f" {lo} must not exceed {hi}")
    return out
