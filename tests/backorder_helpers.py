"""Building sales orders and purchase orders directly, for the backorder tests."""
from __future__ import annotations

from decimal import Decimal

from domain.numbering import Sequence as Seq
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderType
from domain.services.common import next_number
from domain.services.imports import IMPORTERS


async def make_order(uow_factory, clock, seller, customer, lines, delivered=None) -> SalesOrder:
    """`lines`: [(item, quantity)]; `delivered`: {line number: quantity already delivered}."""
    delivered = delivered or {}
    async with uow_factory() as uow:
        number = await next_number(uow, Seq.SALES_ORDER)
        order = SalesOrder(
            number=number, order_type=SalesOrderType.SALES_ORDER, customer_id=customer.id,
            salesperson_id=seller.id, created_at=clock.now(),
            lines=[SalesOrderLine(line_number=n, item_id=item.id, item_number=item.item_number,
                                  description=item.name, unit=item.unit, quantity=Decimal(q),
                                  unit_price=item.sales_price, tax_percent=item.sales_tax_percent,
                                  delivered=Decimal(delivered.get(n, 0)))
                   for n, (item, q) in enumerate(lines, start=1)])
        order.refresh_status()
        await uow.sales_orders.add(order)
        await uow.commit()
    return order


PO_HEADER = {"purchase_order": "", "vendor": "", "vendor_name": "", "item_number": "", "quantity": "",
             "expected_date": "", "received": ""}


async def import_pos(uow_factory, *rows: str):
    """Rows as 'PO,vendor,vendor name,item,quantity,expected,received'."""
    parsed = []
    for n, text in enumerate(rows, start=2):
        values = text.split(",")
        parsed.append((n, dict(zip(PO_HEADER, values))))
    return await IMPORTERS["purchase_orders"](uow_factory(), parsed)
