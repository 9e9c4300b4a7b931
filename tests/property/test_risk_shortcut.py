"""The caseload's short cut past :func:`assess` (``_Facts.assess``) against :func:`assess` of
the household's full facts, over random facts and settings: the short cut must give the same
level and the same reasons, or it would hide a household from the risk column and the report."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from evacsupport.services.caseload import _Facts
from evacsupport.services.risk import RiskSettings, assess

TODAY = date(2024, 6, 30)
H = "h"

_day = st.integers(0, 120).map(lambda n: TODAY - timedelta(days=n))
_facts = st.builds(
    lambda contact, meal, before, scores, worse, overdue: _Facts(
        last_contact={H: contact} if contact else {},
        last_meal={H: meal} if meal else {},
        meals_before={H: before} if before else {},
        latest={H: scores} if scores else {},
        worsened={H: worse} if worse else {},
        overdue={H: overdue} if overdue else {},
    ),
    st.none() | _day,
    st.none() | _day,
    st.integers(0, 12),
    # scores beyond each instrument's range too (UCLA-3 below its minimum of 3, K6 above 24):
    # the short cut must leave those to assess
    st.none()
    | st.tuples(
        st.none() | st.integers(-1, 26),
        st.none() | st.integers(0, 6),
        st.none() | st.integers(0, 10),
    ),
    st.lists(st.sampled_from(["山田 花子（K6 3→9）", "能登 太郎（孤独感 2→4）"]), max_size=2),
    st.integers(0, 3),
)
_settings = st.builds(
    RiskSettings,
    k6_serious=st.integers(5, 20),
    k6_indicator=st.integers(3, 15),
    loneliness_high=st.integers(1, 6),
    ucla3_high=st.integers(2, 11),
    alone_no_contact_days=st.integers(0, 30),
    stopped_days=st.integers(0, 30),
    regular_min_meals=st.integers(0, 6),
    regular_weeks=st.integers(1, 10),
)


@settings(max_examples=600, deadline=None)
@given(_facts, _settings, st.booleans())
def test_the_short_cut_assesses_as_assess_does(
    facts: _Facts, risk_settings: RiskSettings, older_alone: bool
) -> None:
    quick = facts.assess(H, TODAY, older_alone, risk_settings)
    full = assess(facts.risk_facts(H, TODAY, older_alone), risk_settings)
    assert (quick.level, quick.reasons) == (full.level, full.reasons)


@settings(max_examples=100, deadline=None)
@given(_settings, st.booleans())
def test_a_household_without_facts_assesses_as_assess_does(
    risk_settings: RiskSettings, older_alone: bool
) -> None:
    none = _Facts({}, {}, {}, {}, {}, {})
    quick = none.assess(H, TODAY, older_alone, risk_settings)
    full = assess(none.risk_facts(H, TODAY, older_alone), risk_settings)
    assert (quick.level, quick.reasons) == (full.level, full.reasons)
