"""``salesnb import`` and ``salesnb demo --as CRM``: registered on the main parser by :func:`register`."""

from __future__ import annotations

import argparse
import sys


def _cmd_import(a: argparse.Namespace) -> int:
    from salesnb.data.errors import DataError
    from salesnb.data.importing.importer import ImportError_, import_export
    from salesnb.data.importing.parsing import ParseError

    if a.suggest:
        from salesnb.data.importing.suggest import suggest

        try:
            print(suggest(a.suggest), end="")
        except (ParseError, ImportError_, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if not a.profile or not a.export or not a.out:
        print("error: give PROFILE EXPORT_PATH --out DIR (or --suggest EXPORT_PATH)",
              file=sys.stderr)
        return 2
    from salesnb.i18n import Verbatim, t

    try:
        lang = _lang(a.lang)
    except ValueError as exc:
        print(f"error: --lang: {exc}", file=sys.stderr)
        return 2
    try:
        _, report = import_export(a.profile, a.export, a.out, overrides=a.map, as_of=a.as_of)
    except (ImportError_, ParseError, OSError) as exc:
        print(t("error: cannot import {export} with profile {profile}: {why}", lang, export=Verbatim(a.export),
                profile=Verbatim(a.profile), why=exc.args[0] if exc.args and isinstance(exc.args[0], str)
                else Verbatim(str(exc))), file=sys.stderr)
        return 1
    print("\n".join(report.lines(lang)))
    from salesnb.data.sources import open_folder
    from salesnb.data.validate import validate

    try:
        problems = validate(open_folder(a.out))
    except DataError as exc:
        print(t("error: {why}", lang, why=Verbatim(str(exc))), file=sys.stderr)
        return 1
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        print(f"  {p.text(lang)}", file=sys.stderr if p.severity == "error" else sys.stdout)
    print(t("validation: {errors} error(s), {warnings} warning(s); {then}", lang, errors=len(errors),
            warnings=len(problems) - len(errors),
            then=t("run it with: salesnb run -p source={out}", lang, out=Verbatim(a.out)) if not errors else
            t("the tables are written to {out}, but a run refuses them while errors remain: fix the profile "
              "(--map FILE) or the export, then import again", lang, out=Verbatim(a.out))))
    return 1 if errors else 0


def _lang(given: str | None) -> str:
    """The language of the printout: ``--lang``, else the ``lang`` the run takes from the project's
    parameters (params/defaults.yaml: ``lang: zh-CN``), else English."""
    from salesnb.i18n import normalise

    if given:
        return normalise(given)
    from salesnb.config import layered
    from salesnb.context import project_root

    try:
        values, _ = layered(month=None, params_dir=project_root() / "params")
        return normalise(values.get("lang"))
    except Exception:  # noqa: BLE001 - an unreadable parameters file is the run's error to report
        return "en"


def _wrap_demo(original):
    def run(a: argparse.Namespace) -> int:
        if getattr(a, "as_crm", None):
            from salesnb.data.demo_export import export_demo

            dest = a.dest or a.out
            if not dest:
                print("error: salesnb demo --as CRM OUT: name the output folder", file=sys.stderr)
                return 2
            if a.footer and a.as_crm != "salesforce":
                print("error: --footer is for --as salesforce (its report export)", file=sys.stderr)
                return 2
            path = export_demo(a.as_crm, dest, scale=a.scale, seed=a.seed,
                               progress=lambda m: print(m, flush=True), footer=a.footer)
            print(f"demo company written as a {a.as_crm} export in {path}")
            return 0
        if getattr(a, "dest", None):
            a.out = a.out or a.dest
        return original(a)
    return run


def register(sub) -> None:
    """Add ``import`` to the ``salesnb`` subcommands and ``--as CRM OUT`` to ``demo``."""
    from salesnb.data.importing.importer import BUILTIN

    p = sub.add_parser("import", help="turn a CRM or spreadsheet export into a source folder")
    p.add_argument("profile", nargs="?",
                   help=f"built-in profile ({', '.join(BUILTIN)}) or a profile YAML file")
    p.add_argument("export", nargs="?", help="the export: a folder or one CSV/XLSX file")
    p.add_argument("--out", help="source folder to write (Parquet tables)")
    p.add_argument("--map", metavar="FILE", help="YAML merged over the profile (e.g. your headers)")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                   help="the export's date (default: the profile's, else the latest date in it)")
    p.add_argument("--lang", default=None, metavar="LANG",
                   help="language of the printout (en, zh-CN); default: the lang of params/defaults.yaml, "
                        "as salesnb run")
    p.add_argument("--suggest", metavar="EXPORT_PATH",
                   help="print a draft generic profile for this export instead of importing")
    p.set_defaults(func=_cmd_import)
    d = sub.choices.get("demo")
    if d is not None:
        from salesnb.data.demo_export import CRMS

        d.add_argument("--as", dest="as_crm", choices=CRMS, default=None,
                       help="write the demo company as this CRM's export (into OUT)")
        d.add_argument("dest", nargs="?", default=None, metavar="OUT",
                       help="output folder (with --as)")
        d.add_argument("--footer", action="store_true",
                       help="with --as salesforce: end the report export with Salesforce's footer "
                            "lines (Grand Totals, copyright, Generated By, org name)")
        d.set_defaults(func=_wrap_demo(d.get_default("func")))
