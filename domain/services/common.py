"""Helpers every service uses: numbering, loading a document the user may see, an item, a customer."""
from __future__ import annotations

from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.item import Item
from domain.numbering import Sequence, format_number
from domain.ports import UnitOfWork
from domain.quotation import Quotation
from domain.sales_order import SalesOrder
from domain.user import User


async def next_number(uow: UnitOfWork, sequence: Sequence) -> str:
    return format_number(sequence, await uow.numbers.next(sequence))


async def visible_quotation(uow: UnitOfWork, user: User, quotation_id: int) -> Quotation:
    """Another salesperson's quotation is reported as missing: ids leak nothing."""
    quotation = await uow.quotations.get(quotation_id)
    if quotation is None or not user.may_see(quotation.salesperson_id):
        raise NotFound(N_("That quotation does not exist or is not yours."))
    return quotation


async def visible_order(uow: UnitOfWork, user: User, order_id: int) -> SalesOrder:
    order = await uow.sales_orders.get(order_id)
    if order is None or not user.may_see(order.salesperson_id):
        raise NotFound(N_("That sales order does not exist or is not yours."))
    return order


async def existing_item(uow: UnitOfWork, item_id: int) -> Item:
    """The item with this id (a button or a stored line names it), or a clear answer that it is gone."""
    item = await uow.items.get(item_id)
    if item is None:
        raise NotFound(N_("That item does not exist."))
    return item


async def existing_customer(uow: UnitOfWork, customer_id: int) -> Customer:
    """The customer with this id (a button names it), or a clear answer that it is gone."""
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(N_("That customer does not exist."))
    return customer
