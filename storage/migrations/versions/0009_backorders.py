"""purchase orders, backorders, allocation (issue 3 section 7)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


OPEN_LINE = "delivered < quantity"


def upgrade() -> None:
    with op.batch_alter_table("sales_order_lines") as batch:
        batch.add_column(sa.Column("confirmed_delivery_date", sa.Date()))
        batch.add_column(sa.Column("allocated", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_sales_order_lines_open_item", "sales_order_lines",
                    ["item_id", "sales_order_id", "quantity", "delivered"],
                    sqlite_where=sa.text(OPEN_LINE), postgresql_where=sa.text(OPEN_LINE))
    op.create_index("ix_sales_orders_customer_id", "sales_orders", ["customer_id"])
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vendors"),
        sa.UniqueConstraint("account", name="uq_vendors_account"),
    )
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("item_number", sa.String(40), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], name="fk_purchase_orders_vendor_id_vendors"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_purchase_orders_item_id_items"),
        sa.PrimaryKeyConstraint("id", name="pk_purchase_orders"),
        sa.UniqueConstraint("number", "item_id", name="uq_purchase_orders_number_item"),
    )
    op.create_index("ix_purchase_orders_vendor_id", "purchase_orders", ["vendor_id"])
    op.create_index("ix_purchase_orders_item_id", "purchase_orders", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_purchase_orders_item_id", table_name="purchase_orders")
    op.drop_index("ix_purchase_orders_vendor_id", table_name="purchase_orders")
    op.drop_table("purchase_orders")
    op.drop_table("vendors")
    op.drop_index("ix_sales_orders_customer_id", table_name="sales_orders")
    op.drop_index("ix_sales_order_lines_open_item", table_name="sales_order_lines")
    with op.batch_alter_table("sales_order_lines") as batch:
        batch.drop_column("priority")
        batch.drop_column("allocated")
        batch.drop_column("confirmed_delivery_date")
