"""quotation requests by e-mail: the mails read from the request mailbox (issue 4 §3)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('folder', sa.String(length=200), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('uid', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.String(length=500), nullable=False),
    sa.Column('sender', sa.String(length=320), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('state', sa.Enum('new', 'processed', 'failed', 'ignored', name='inbound_mail_state',
                               native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('lines_json', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_inbound_mails_customer_id_customers')),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_inbound_mails_party_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_mails')),
    sa.UniqueConstraint('folder', 'uidvalidity', 'uid', name='uq_inbound_mails_folder_uidvalidity_uid'),
    sa.UniqueConstraint('message_id', name=op.f('uq_inbound_mails_message_id'))
    )


def downgrade() -> None:
    op.drop_table('inbound_mails')
