"""The schema, one module per area; `from storage import tables as t` sees every table.
Migrations in storage/migrations must match it (a test compares them)."""
from storage.tables.base import metadata
from storage.tables.sales import (users, customers, items, number_sequences, quotations, quotation_lines,
                                  sales_orders, sales_order_lines, packing_slips, packing_slip_lines,
                                  customer_invoices, customer_invoice_lines, posting_profiles,
                                  free_text_invoices, free_text_invoice_lines)
from storage.tables.relationships import (parties, party_stage_changes, opportunities, contact_tags)
from storage.tables.pricing import (trade_agreements, sales_agreements, sales_agreement_lines,
                                    product_list_rules, suggestion_offers)
from storage.tables.backorders import (OPEN_LINE, vendors, purchase_orders, delay_notices,
                                       delay_notice_messages, digests_sent)
from storage.tables.customer_channel import (customer_link_uses, quotation_requests,
                                             quotation_request_lines, quotation_answers,
                                             telegram_deliveries, inbound_mails)
from storage.tables.campaigns import (campaigns, campaign_contents, campaign_recipients,
                                      campaign_responses, consents, campaign_calls, campaign_call_events)
from storage.tables.coordination import (outbox_mails, leader_locks, telegram_updates)

__all__ = ["metadata", "users", "customers", "items", "number_sequences", "quotations", "quotation_lines",
           "sales_orders", "sales_order_lines", "packing_slips", "packing_slip_lines", "customer_invoices",
           "customer_invoice_lines", "posting_profiles", "free_text_invoices", "free_text_invoice_lines",
           "parties", "party_stage_changes", "opportunities", "contact_tags", "trade_agreements",
           "sales_agreements", "sales_agreement_lines", "product_list_rules", "suggestion_offers",
           "OPEN_LINE", "vendors", "purchase_orders", "delay_notices", "delay_notice_messages",
           "digests_sent", "customer_link_uses", "quotation_requests", "quotation_request_lines",
           "quotation_answers", "telegram_deliveries", "inbound_mails", "campaigns", "campaign_contents",
           "campaign_recipients", "campaign_responses", "consents", "campaign_calls",
           "campaign_call_events", "outbox_mails", "leader_locks", "telegram_updates"]
