"""Parameter layers, validation against the notebooks' own parameters, and secrets."""

from __future__ import annotations

import pytest

from salesnb import config
from salesnb.config import Param, ParamError

NB = {
    "a": {"month": Param("month", "str", "", ""), "source": Param("source", "str", "demo", ""),
          "top_n": Param("top_n", "int", 10, "rows"),
          "method": Param("method", "str", "even", "allocation; one of: even, history, blend")},
    "b": {"month": Param("month", "str", "", ""), "growth": Param("growth", "float", 0.1, "")},
}


def _layers(tmp_path, month="2026-05", files=(), overrides=()):
    (tmp_path / "defaults.yaml").write_text('source: "demo"\ntop_n: 5\ngrowth: 0.1\n')
    (tmp_path / "2026-05.yaml").write_text("top_n: 7\n")
    return config.layered(month=month, params_dir=tmp_path, files=files, overrides=overrides)


def test_layers_later_wins(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("growth: 0.2\n")
    values, origin = _layers(tmp_path, files=[extra], overrides=["top_n=9"])
    assert values == {"source": "demo", "top_n": 9, "growth": 0.2}
    assert origin["top_n"] == "-p" and origin["growth"].endswith("extra.yaml")
    values, _ = _layers(tmp_path)
    assert values["top_n"] == 7  # the month file beats defaults
    values, _ = _layers(tmp_path, month="2026-06")
    assert values["top_n"] == 5


def test_resolve_per_notebook(tmp_path):
    values, origin = _layers(tmp_path)
    per = config.resolve(values, origin, NB)
    assert per["a"] == {"source": "demo", "top_n": 7}
    assert per["b"] == {"growth": 0.1}


def test_unknown_key_rejected_with_suggestion(tmp_path):
    values, origin = _layers(tmp_path, overrides=["top_m=3"])
    with pytest.raises(ParamError, match=r"unknown parameter 'top_m'.*did you mean top_n"):
        config.resolve(values, origin, NB)


@pytest.mark.parametrize("bad", ["2026-13", "26-05", "2026/05", "May"])
def test_bad_month_rejected(bad):
    with pytest.raises(ParamError, match="YYYY-MM"):
        config.resolve({"month": bad}, {"month": "-p"}, NB)


def test_types_and_enumerations():
    with pytest.raises(ParamError, match="whole number"):
        config.resolve({"top_n": "ten"}, {}, NB)
    with pytest.raises(ParamError, match="one of: even, history, blend"):
        config.resolve({"method": "random"}, {}, NB)
    assert config.resolve({"method": "blend"}, {}, NB)["a"]["method"] == "blend"


def test_source_folder_must_exist(tmp_path):
    with pytest.raises(ParamError, match="does not exist"):
        config.resolve({"source": str(tmp_path / "nope")}, {}, NB)
    assert config.resolve({"source": str(tmp_path)}, {}, NB)["a"]["source"] == str(tmp_path)


def test_secrets_are_never_parameters(tmp_path):
    with pytest.raises(ParamError, match="environment"):
        config.layered(month=None, params_dir=tmp_path, overrides=["db_password=hunter2"])


def test_nested_yaml_rejected(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("goals:\n  growth: 0.1\n")
    with pytest.raises(ParamError, match="flat keys"):
        config.load_yaml(f)


def test_cross_parameter_constraints_and_ranges():
    from salesnb.config import Param, ParamError, resolve

    declared = {"04": {"k_min": Param("k_min", "int", 2, ""), "k_max": Param("k_max", "int", 8, ""),
                       "top_n": Param("top_n", "int", 15, ""),
                       "growth": Param("growth", "float", 0.1, "")}}
    assert resolve({"k_max": 4}, {"k_max": "-p"}, declared)["04"]["k_max"] == 4
    for values, words in (({"k_max": 1}, ("k_min=2", "k_max=1", "-p")),
                          ({"top_n": 10**30}, ("top_n", "out of range")),
                          ({"top_n": -1}, ("top_n", "out of range")),
                          ({"growth": float("nan")}, ("growth", "finite")),
                          ({"growth": float("inf")}, ("growth", "finite"))):
        with pytest.raises(ParamError) as err:
            resolve(values, dict.fromkeys(values, "-p"), declared)
        for w in words:
            assert w in str(err.value)


def test_credentials_in_values_are_refused_with_the_variable_to_use(tmp_path):
    from salesnb.config import ParamError, layered

    with pytest.raises(ParamError) as err:
        layered(month="2026-10", params_dir=tmp_path, overrides=["watch_reps=postgresql://u:pw9@h/db"])
    assert "watch_reps" in str(err.value) and "PGPASSWORD" in str(err.value)
    assert "pw9" not in str(err.value)
    (tmp_path / "defaults.yaml").write_text('source: "sc://h:1/;token=tok9"\n')
    with pytest.raises(ParamError) as err:
        layered(month="2026-10", params_dir=tmp_path)
    assert "defaults.yaml" in str(err.value) and "SPARK_CONNECT_TOKEN" in str(err.value)
    assert "tok9" not in str(err.value)


NB_DATA = {"n": {"as_of": Param("as_of", "str", "", "data as-of date YYYY-MM-DD"),
                 "reporting_currency": Param("reporting_currency", "str", "", "ISO code"),
                 "fiscal_year_start": Param("fiscal_year_start", "int", 1, "first month, 1-12")}}


@pytest.mark.parametrize("key, bad", [
    ("as_of", "31/10/2026"), ("as_of", "2026-13-01"), ("as_of", "2026-02-30"), ("as_of", "soon"),
    ("reporting_currency", "US$"), ("reporting_currency", "dollar"), ("reporting_currency", "EU"),
])
def test_as_of_and_reporting_currency_are_checked_before_the_data_opens(key, bad):
    with pytest.raises(ParamError, match=rf"-p \(n\): {key}=.* is not accepted; {key} must be "
                                         r"(a date YYYY-MM-DD|a three-letter ISO 4217 code)"):
        config.resolve({key: bad}, {key: "-p"}, NB_DATA)


def test_as_of_reporting_currency_and_fiscal_start_accept_their_forms():
    ok = {"as_of": "2026-10-31", "reporting_currency": "cny", "fiscal_year_start": 4}
    assert config.resolve(ok, {}, NB_DATA)["n"] == ok
    assert config.resolve({"as_of": "", "reporting_currency": ""}, {}, NB_DATA)["n"] == {
        "as_of": "", "reporting_currency": ""}
    for bad in (0, 13):
        with pytest.raises(ParamError, match="fiscal_year_start=.* out of range; allowed 1..12"):
            config.resolve({"fiscal_year_start": bad}, {}, NB_DATA)


def test_a_bad_as_of_stops_the_run_with_exit_3(tmp_path):
    from salesnb.report.runner import EXIT_PARAMS, run

    res = run("2026-10", overrides=["as_of=31/10/2026"], jobs=1, out=tmp_path / "r",
              only=["00_data_overview"])
    assert res.exit_code == EXIT_PARAMS and "as_of='31/10/2026' is not accepted" in res.message
