"""The Run form's data-set knobs (finance, grant share, announced projects, weather year).

Each knob is a build option of the corridor data set (``extends: {dataset: corridor, ...}``): the
tests check the resolved numbers against the data set's tables, that bad values are refused with
HTTP 400 and the loader's message, and that other base scenarios skip the knobs with a note.
"""

from __future__ import annotations

import http.client
import json

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import silkgrid  # noqa: E402
from silkgrid.core.costs import link_capex_annuity_per_mw_yr  # noqa: E402
from silkgrid.core.errors import ScenarioError  # noqa: E402
from silkgrid.web import create_app  # noqa: E402
from silkgrid.web.app import _run_form  # noqa: E402
from silkgrid.web.knobs import Knobs, RunRequest  # noqa: E402
from tests.test_web import EXAMPLE_LINKS, ONE_WEEK, _start, browser  # noqa: E402, F401  (browser: fixture)
from tests.test_web import _page as _browser_page  # noqa: E402

#: The nine announced rows of corridor/generators_existing.csv, all online by 2035 (online_year
#: 2027..2034), MW: Hyrasia wind 20,000 + solar 20,000, ACWA Karakalpakstan 5,000, Masdar Uchkuduk
#: 1,000, Absheron-Garadagh 240, Alat 400, AZ offshore 1,000, GSE plan wind 1,235.4 + CCGT 408.3.
ANNOUNCED_2035_MW = 20000 + 20000 + 5000 + 1000 + 240 + 400 + 1000 + 1235.4 + 408.3


@pytest.fixture(scope="module")
def knobs():
    """The dashboard's default base: corridor 2035 at 12 h snapshots (each build about 1 s)."""
    k = Knobs()
    k.base_scenario()
    return k


def _links(sc) -> dict:
    return {ln.id: ln for ln in sc.links}


def test_defaults_come_from_the_base(knobs):
    d = knobs.defaults()
    assert (d["finance"], d["grant_share"], d["include_announced"], d["weather_year"]) == ("central", 0.0, False, 1)
    assert d["finance_cases"] == ["low", "central", "high"] and d["weather_years"] == [1, 2, 3, 4, 5]
    k = Knobs({"extends": {"dataset": "corridor", "year": 2035, "finance": "low", "grant_share": 0.3,
                           "include_announced": True, "weather_year": 7}})
    d = k.dataset_defaults()
    assert (d["finance"], d["grant_share"], d["include_announced"], d["weather_year"]) == ("low", 0.3, True, 7)
    assert d["weather_years"] == [1, 2, 3, 4, 5, 7]  # the base's own seed stays selectable


def test_finance_high_raises_the_cost_of_capital(knobs):
    central = knobs.build(RunRequest())[0]
    high, raw, notes = knobs.build(RunRequest(finance="high"))
    assert raw["extends"] == {"dataset": "corridor", "year": 2035, "finance": "high"} and notes == []
    # cost_of_capital.csv: * subsea_cable central 0.0694 (ANRE RRR) -> high 0.082 (IRENA MEA);
    # KZ renewables central 0.15 -> high 0.20 (Agora/OET Kazakhstan model)
    assert _links(central)["black_sea_hvdc"].discount_rate == pytest.approx(0.0694, abs=1e-12)
    assert _links(high)["black_sea_hvdc"].discount_rate == pytest.approx(0.082, abs=1e-12)
    gen = {g.id: g for g in high.generators}
    assert gen["KZ_W_onwind_new"].discount_rate == pytest.approx(0.20, abs=1e-12)
    assert {g.id: g for g in central.generators}["KZ_W_onwind_new"].discount_rate == pytest.approx(0.15, abs=1e-12)


def test_grant_share_lowers_the_cables_capex_annuity_by_the_share(knobs):
    base = _links(knobs.build(RunRequest())[0])
    granted = _links(knobs.build(RunRequest(grant_share=0.4))[0])
    for lid in ("caspian_hvdc", "black_sea_hvdc"):  # the two sea cables (hvdc_submarine)
        a0 = link_capex_annuity_per_mw_yr(base[lid], base[lid].discount_rate)
        a1 = link_capex_annuity_per_mw_yr(granted[lid], granted[lid].discount_rate)
        assert granted[lid].grant_share == 0.4
        assert a1 / a0 == pytest.approx(0.6, rel=1e-12)  # (1 - 0.4) x the same annuity: exact arithmetic
    # Black Sea cable without grants: 2,627,852 EUR/MW (610,000 + 1,747.06 EUR/MW/km x 1,155 km) x the
    # 40-year annuity factor at 6.94 %, 0.0694 / (1 - 1.0694^-40) = 0.074487, = 195,741 EUR/MW/yr
    assert link_capex_annuity_per_mw_yr(base["black_sea_hvdc"], 0.0694) == pytest.approx(195_741, rel=1e-4)
    over = "kz_ns_hvdc"  # an overland candidate: grants are for the sea cables only
    assert link_capex_annuity_per_mw_yr(granted[over], granted[over].discount_rate) == pytest.approx(
        link_capex_annuity_per_mw_yr(base[over], base[over].discount_rate), rel=1e-12)


def test_include_announced_adds_the_pipeline(knobs):
    def existing_mw(sc):
        return sum(g.capacity_mw for g in sc.generators)

    base = knobs.build(RunRequest())[0]
    more, raw, _ = knobs.build(RunRequest(include_announced=True))
    assert raw["extends"]["include_announced"] is True
    assert existing_mw(more) - existing_mw(base) == pytest.approx(ANNOUNCED_2035_MW, abs=1e-6)


def test_weather_year_picks_the_seed(knobs):
    def kz_w_wind_cf(sc):
        return float(np.mean({g.id: g for g in sc.generators}["KZ_W_onwind_new"].availability))

    one = knobs.build(RunRequest(weather_year=1))[0]
    five, raw, _ = knobs.build(RunRequest(weather_year=5))
    assert raw["extends"]["weather_year"] == 5 and "weather_year=5" in five.weather
    # docs/profiles.md weather-year table, KZ_W onwind: seed 1 45.5 %, seed 5 32.6 % (2030 axis;
    # 0.2 pp covers its rounding to 0.1 pp and the 2035 calendar)
    assert kz_w_wind_cf(one) == pytest.approx(0.455, abs=0.002)
    assert kz_w_wind_cf(five) == pytest.approx(0.326, abs=0.002)


def test_bad_values_are_refused_by_knobs(knobs):
    for req, words in [(RunRequest(finance="huge"), ["finance case 'huge' is unknown", "low, central, high"]),
                       (RunRequest(grant_share=1.5), ["grant_share must be a fraction between 0 and 1",
                                                      "grant_share from 0 to 1"]),
                       (RunRequest(grant_share=-0.1), ["grant_share must be a fraction between 0 and 1"]),
                       (RunRequest(weather_year=9), ["weather year 9 is not one", "choose one of 1, 2, 3, 4, 5"])]:
        with pytest.raises(ScenarioError) as info:
            knobs.build(req)
        for w in words:
            assert w in info.value.message, (req, info.value.message)


def test_other_base_skips_the_knobs_with_a_note():
    k = Knobs(ONE_WEEK, links=EXAMPLE_LINKS)
    raw, notes = k.scenario_dict(RunRequest(finance="high", grant_share=0.5, include_announced=True,
                                            weather_year=9))
    assert raw["extends"] == "example"
    assert notes == [f"{n} skipped: the base scenario is not the corridor data set"
                     for n in ("finance", "grant_share", "include_announced", "weather_year")]
    html = _run_form(k.defaults())
    assert "name='finance'" not in html and "Finance, grant share, announced projects and weather year: fixed" in html


def test_uniform_discount_rate_overrides_finance_with_a_note(knobs):
    sc, raw, notes = knobs.build(RunRequest(finance="high", discount_rate=0.05))
    assert raw["extends"]["discount_rate"] == 0.05 and raw["extends"]["finance"] == "high"
    assert _links(sc)["black_sea_hvdc"].discount_rate == 0.05
    assert len(notes) == 1 and "replaces the cost-of-capital table" in notes[0]


def test_form_shows_the_knobs(knobs):
    html = _run_form(knobs.defaults())
    assert ("<select name='finance'><option>low</option><option selected>central</option><option>high</option>"
            "</select>") in html
    assert "<select name='weather_year'><option selected>1</option><option>2</option>" in html
    assert "name='grant_share' type='number' min='0' max='1' step='any' value='0'" in html
    assert "name='include_announced'>" in html  # unchecked: the base leaves announced projects out
    # the corridor's discount rate is empty (each candidate's rate from the finance case)
    assert "name='discount_rate' type='number' step='any' value='' placeholder='per finance case'" in html


def test_built_label_with_include_announced_loads_again():
    """A result names its data set ``<data set corridor ... include_announced=True>``: loadable again."""
    from silkgrid.scenario.loader import _built_dataset

    label, raw = _built_dataset({"dataset": "corridor", "year": 2035, "include_announced": True}, "<t>")
    assert label == "<data set corridor year=2035 include_announced=True>"
    again = _built_dataset(label, "<t>")[1]
    assert len(again["generators"]) == len(raw["generators"])
    with pytest.raises(ScenarioError, match="option 'include_announced' must be true or false"):
        silkgrid.load_scenario({"extends": {"dataset": "corridor", "include_announced": "maybe"}})


# ---------------------------------------------------------------------------------------- HTTP
@pytest.fixture(scope="module")
def corridor_server(tmp_path_factory):
    app = create_app([], runs_dir=tmp_path_factory.mktemp("runs"))  # the default base: corridor 2035
    app.state.knobs.base_scenario()
    port, stop = _start(app)
    yield {"port": port, "app": app, "token": app.state.token, "url": f"http://127.0.0.1:{port}"}
    stop()


def _post(port: int, token: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/runs", body=json.dumps(body),
                 headers={"Content-Type": "application/json", "X-SilkGrid-Token": token})
    r = conn.getresponse()
    out = json.loads(r.read())
    conn.close()
    return r.status, out


def test_bad_values_are_refused_with_400(corridor_server):
    s = corridor_server
    for body, words in [({"finance": "huge"}, ["at 'extends'", "finance case 'huge' is unknown"]),
                        ({"grant_share": 1.5}, ["grant_share must be a fraction between 0 and 1, got 1.5"]),
                        ({"grant_share": "lots"}, ["grant_share"]),
                        ({"weather_year": 0}, ["at 'weather_year'", "weather year 0 is not one"]),
                        ({"weather_year": 2.5}, ["weather_year"]),
                        ({"include_announced": "maybe"}, ["include_announced"])]:
        status, out = _post(s["port"], s["token"], body)
        assert status == 400, (body, out)
        for w in words:
            assert w in out["error"], (body, out["error"])
    assert s["app"].state.jobs.all() == []


def test_form_sends_the_knobs_in_browser(corridor_server, browser):  # noqa: F811 (the fixture)
    s = corridor_server
    problems: list[str] = []
    page = _browser_page(browser, problems)
    page.goto(s["url"] + "/")
    page.select_option("#run-form select[name=finance]", "high")
    page.fill("#run-form input[name=grant_share]", "0.3")
    page.check("#run-form input[name=include_announced]")
    page.select_option("#run-form select[name=weather_year]", "2")
    page.fill("#run-form input[name=label]", "knobs")
    page.click("#run-form button[type=submit]")
    page.wait_for_selector("#jobs li")
    job = s["app"].state.jobs.all()[0]
    s["app"].state.jobs.cancel(job.id)  # the corridor solve is not needed: the job's knobs are the point
    assert {k: job.knobs[k] for k in ("finance", "grant_share", "include_announced", "weather_year",
                                      "discount_rate")} == {"finance": "high", "grant_share": 0.3,
                                                            "include_announced": True, "weather_year": 2,
                                                            "discount_rate": None}
    assert job.spec["extends"] == {"dataset": "corridor", "year": 2035, "finance": "high", "grant_share": 0.3,
                                   "include_announced": True, "weather_year": 2}
    page.close()
    assert problems == []
