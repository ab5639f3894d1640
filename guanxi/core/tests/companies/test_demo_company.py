"""`guanxi demo` loads our demo company, once."""

import pytest
from stdnum.cn import uscc

from guanxi.core.demo import load_demo_company
from guanxi.core.models import Company
from guanxi.core.selectors.companies import company_default, letterhead_of

pytestmark = pytest.mark.django_db


def test_the_demo_company_is_loaded_once(admin_user):
    company = load_demo_company(actor=admin_user)
    assert company is not None and company_default() == company
    assert uscc.is_valid(company.uscc)
    assert (company.name_zh, company.name_en) == ("关系示范科技有限公司", "Guanxi Demo Technology Co., Ltd.")
    assert letterhead_of(company, language="zh-hans").logo.startswith("data:image/png;base64,")
    assert load_demo_company(actor=admin_user) is None
    assert Company.objects.count() == 1
