"""Backorder views as SQL aggregates over the open lines (the partial index), and purchase orders.

Every query that reads sales order lines says `delivered < quantity` (tables.OPEN_LINE), the
partial index's own condition, so the database reads the open lines only, never all lines.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache

from sqlalchemy import and_, bindparam, distinct, func, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.backorder import (BACKORDER_TYPES, BackorderLine, CustomerBackorders, ItemBackorders,
                              ItemStock, MissingDelivery, VendorBackorders)
from domain.purchase_order import PurchaseOrder, Vendor
from domain.sales_order import SalesOrderStatus
from storage import tables as t
from storage.types import Quantity

L, O, I = t.sales_order_lines.c, t.sales_orders.c, t.items.c
P, V, C = t.purchase_orders.c, t.vendors.c, t.customers.c


def _open(salesperson_id: int | None):
    """Open lines of orders that wait for delivery (and of one salesperson, if given)."""
    cond = [L.delivered < L.quantity, O.status != SalesOrderStatus.CANCELED,
            O.order_type.in_(sorted(BACKORDER_TYPES))]
    if salesperson_id is not None:
        cond.append(O.salesperson_id == salesperson_id)
    return and_(*cond)


def _qty(expr):
    return type_coerce(expr, Quantity)


_REMAINDER = _qty(func.sum(L.quantity - L.delivered))
_OPEN_LINES = t.sales_order_lines.join(t.sales_orders, O.id == L.sales_order_id)
_MISSING = (select(P.item_id, _qty(func.sum(P.quantity - P.received)).label("missing"))
            .where(P.received < P.quantity).group_by(P.item_id).subquery("po"))


@cache
def _lines_statement(by_salesperson: bool, by_items: bool, by_customer: bool, limited: bool):
    """Built once per shape with bound parameters: a detail or an allocation is a small read, and
    building and hashing a fresh statement would cost more than the query itself."""
    where = [L.delivered < L.quantity, O.status != SalesOrderStatus.CANCELED,
             O.order_type.in_(sorted(BACKORDER_TYPES))]
    if by_salesperson:
        where.append(O.salesperson_id == bindparam("salesperson_id"))
    if by_items:
        where.append(L.item_id.in_(bindparam("item_ids", expanding=True)))
    if by_customer:
        where.append(O.customer_id == bindparam("customer_id"))
    stmt = (select(L.id, O.id, O.number, L.line_number, O.customer_id, O.salesperson_id, L.item_id,
                   O.created_at, _qty(L.quantity - L.delivered), L.priority,
                   L.confirmed_delivery_date, L.allocated, L.item_number, L.unit, O.status)
            .select_from(_OPEN_LINES).where(*where)
            .order_by(L.priority.desc(), O.created_at, O.number, L.line_number))
    return stmt.limit(bindparam("limit")) if limited else stmt


_STOCK = select(I.id, I.item_number, I.name, I.unit, I.on_hand).where(I.id.in_(bindparam("item_ids", expanding=True)))
# The allocation's one read: each item's stock with its open lines, in allocation order per item.
# Quantities come as the stored integers and become Decimals in allocation() (on hand once per
# item): SQLAlchemy's per-value type processing would cost more than the query on a busy item.
_RAW = Quantity.impl
_ALLOCATION = (select(I.id, I.item_number, I.name, I.unit, type_coerce(I.on_hand, _RAW),
                      L.id, O.id, O.number, L.line_number, O.customer_id, O.salesperson_id, L.item_id,
                      O.created_at, type_coerce(L.quantity - L.delivered, _RAW), L.priority,
                      L.confirmed_delivery_date, type_coerce(L.allocated, _RAW), L.item_number, L.unit,
                      O.status)
               .select_from(_OPEN_LINES.join(t.items, I.id == L.item_id))
               .where(L.delivered < L.quantity, O.status != SalesOrderStatus.CANCELED,
                      O.order_type.in_(sorted(BACKORDER_TYPES)),
                      L.item_id.in_(bindparam("item_ids", expanding=True)))
               .order_by(L.item_id, L.priority.desc(), O.created_at, O.number, L.line_number))


def _stored_quantity(value: int) -> Decimal:
    return Quantity.process_result_value(value, None)


class BackorderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_item(self, item_id: int) -> None:
        """Serialise allocations of one item: two managers committing at once take turns (on
        SQLite the write transaction's BEGIN IMMEDIATE does this already)."""
        await self.session.execute(select(t.items.c.id).where(t.items.c.id == item_id).with_for_update())

    async def by_item(self, salesperson_id: int | None, limit: int,
                      item_id: int | None = None) -> list[ItemBackorders]:
        """Items with backorders, the largest shortage first."""
        where = _open(salesperson_id)
        if item_id is not None:
            where = and_(where, L.item_id == item_id)
        b = (select(L.item_id, func.count(distinct(L.sales_order_id)).label("orders"),
                    _REMAINDER.label("remainder"))
             .select_from(_OPEN_LINES).where(where).group_by(L.item_id).subquery("b"))
        missing = func.coalesce(_MISSING.c.missing, 0)
        stmt = (select(I.id, I.item_number, I.name, I.unit, I.on_hand, b.c.orders, b.c.remainder,
                       _qty(missing))
                .select_from(b.join(t.items, I.id == b.c.item_id)
                             .outerjoin(_MISSING, _MISSING.c.item_id == b.c.item_id))
                .order_by((type_coerce(b.c.remainder, Quantity.impl) - type_coerce(I.on_hand, Quantity.impl)
                           - type_coerce(missing, Quantity.impl)).desc(), I.item_number)
                .limit(limit))
        return [ItemBackorders(*row) for row in (await self.session.execute(stmt)).all()]

    async def by_customer(self, salesperson_id: int | None, limit: int) -> list[CustomerBackorders]:
        """Customers with remaining orders, the most remaining lines first. The open lines are
        summed per order first (from the partial index), so only their orders are read."""
        per_order = (select(L.sales_order_id, func.count().label("lines"), _REMAINDER.label("remainder"))
                     .where(L.delivered < L.quantity).group_by(L.sales_order_id).subquery("per_order"))
        orders = [O.status != SalesOrderStatus.CANCELED, O.order_type.in_(sorted(BACKORDER_TYPES))]
        if salesperson_id is not None:
            orders.append(O.salesperson_id == salesperson_id)
        b = (select(O.customer_id, func.count().label("orders"),
                    func.sum(per_order.c.lines).label("lines"), _qty(func.sum(per_order.c.remainder)).label("remainder"))
             .select_from(per_order.join(t.sales_orders, O.id == per_order.c.sales_order_id))
             .where(*orders).group_by(O.customer_id).subquery("b"))
        stmt = (select(C.id, C.account_number, C.name, b.c.orders, b.c.lines, b.c.remainder)
                .select_from(b.join(t.customers, C.id == b.c.customer_id))
                .order_by(b.c.lines.desc(), C.account_number).limit(limit))
        return [CustomerBackorders(*row) for row in (await self.session.execute(stmt)).all()]

    async def by_vendor(self, limit: int) -> list[VendorBackorders]:
        """Vendors with missing deliveries, the earliest expected first."""
        stmt = (select(V.id, V.account, V.name, func.count(), _qty(func.sum(P.quantity - P.received)),
                       func.min(P.expected_date))
                .select_from(t.purchase_orders.join(t.vendors, V.id == P.vendor_id))
                .where(P.received < P.quantity).group_by(V.id, V.account, V.name)
                .order_by(func.min(P.expected_date), V.account).limit(limit))
        return [VendorBackorders(*row) for row in (await self.session.execute(stmt)).all()]

    async def lines(self, salesperson_id: int | None, *, item_ids: Sequence[int] | None = None,
                    customer_id: int | None = None, limit: int | None = None) -> list[BackorderLine]:
        """Backorder lines of some items or of a customer, in allocation order."""
        stmt = _lines_statement(salesperson_id is not None, item_ids is not None, customer_id is not None,
                                limit is not None)
        params = {"salesperson_id": salesperson_id, "item_ids": list(item_ids or ()),
                  "customer_id": customer_id, "limit": limit}
        rows = await self.session.execute(stmt, {k: v for k, v in params.items() if v is not None or k == "item_ids"})
        return [BackorderLine(*row) for row in rows.all()]

    async def on_hand(self, item_ids: Sequence[int]) -> dict[int, Decimal]:
        """On-hand stock per item (the delay notices' daily run)."""
        rows = await self.session.execute(
            select(I.id, I.on_hand).where(I.id.in_(bindparam("item_ids", expanding=True))),
            {"item_ids": list(item_ids)})
        return dict(rows.all())

    async def allocation(self, item_ids: Sequence[int]
                         ) -> tuple[dict[int, ItemStock], dict[int, list[BackorderLine]]]:
        """The items (those that exist) and their backorder lines in allocation order, in one read
        of plain rows (Core, no ORM objects); an item without open lines costs a second, small read."""
        conn = await self.session.connection()
        stock: dict[int, ItemStock] = {}
        lines: dict[int, list[BackorderLine]] = {i: [] for i in item_ids}
        qty = _stored_quantity
        for (item_id, number, name, unit, on_hand, line_id, order_id, order_number, line_number, customer_id,
             salesperson_id, _, ordered_at, remainder, priority, confirmed, allocated, line_item_number,
             line_unit, status) in (await conn.execute(_ALLOCATION, {"item_ids": list(item_ids)})).all():
            if item_id not in stock:
                stock[item_id] = ItemStock(item_id, number, name, unit, qty(on_hand))
            lines[item_id].append(BackorderLine(
                line_id, order_id, order_number, line_number, customer_id, salesperson_id, item_id, ordered_at,
                qty(remainder), priority, confirmed, qty(allocated), line_item_number, line_unit, status))
        if without := [i for i in item_ids if i not in stock]:
            for row in (await conn.execute(_STOCK, {"item_ids": without})).all():
                stock[row[0]] = ItemStock(*row)
        return stock, {i: l for i, l in lines.items() if i in stock}

    async def missing_deliveries(self, *, item_ids: Sequence[int] | None = None,
                                 vendor_id: int | None = None) -> list[MissingDelivery]:
        stmt = (select(P.id, P.number, P.vendor_id, V.name, P.item_id, P.item_number,
                       _qty(P.quantity - P.received), P.expected_date)
                .select_from(t.purchase_orders.join(t.vendors, V.id == P.vendor_id))
                .where(P.received < P.quantity).order_by(P.expected_date, P.number, P.item_number))
        if item_ids is not None:
            stmt = stmt.where(P.item_id.in_(list(item_ids)))
        if vendor_id is not None:
            stmt = stmt.where(P.vendor_id == vendor_id)
        return [MissingDelivery(*row) for row in (await self.session.execute(stmt)).all()]

    async def set_allocated(self, allocated: Mapping[int, Decimal]) -> None:
        """Store the allocation of each line (one statement, many parameter sets)."""
        if not allocated:
            return
        stmt = (update(t.sales_order_lines).where(L.id == bindparam("b_line_id"))
                .values(allocated=bindparam("b_allocated", type_=Quantity)))
        await self.session.execute(stmt, [{"b_line_id": k, "b_allocated": v} for k, v in allocated.items()],
                                   execution_options={"synchronize_session": False})


class VendorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, vendor_id: int) -> Vendor | None:
        return await self.session.get(Vendor, vendor_id)

    async def by_account(self, account: str) -> Vendor | None:
        return await self.session.scalar(select(Vendor).where(V.account == account.strip()))

    async def add(self, vendor: Vendor) -> None:
        self.session.add(vendor)


class PurchaseOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_key(self, number: str, item_id: int) -> PurchaseOrder | None:
        return await self.session.scalar(
            select(PurchaseOrder).where(P.number == number, P.item_id == item_id))

    async def add(self, purchase_order: PurchaseOrder) -> None:
        self.session.add(purchase_order)
