from decimal import Decimal

from guanxi.crm.tests.factories import make_opportunity


def test_create_move_win(world):
    o = make_opportunity(world.rep, world.huawei, amount="120000")
    assert o.stage.name_en == "Qualification" and o.probability == 10 and o.team == world.east
    from guanxi.crm.services.opportunities import opportunity_move, opportunity_win

    o = opportunity_move(actor=world.rep, opportunity=o, stage=world.stages["Proposal"].pk, version=o.version)
    assert o.probability == 60
    o = opportunity_win(actor=world.rep, opportunity=o, version=o.version)
    assert o.state == "won" and o.amount == Decimal("120000")
