"""Chat renderings of parties, their history and the pipeline (HTML, every value escaped)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.i18n import _
from domain.errors import N_
from domain.relationship import OpportunityStatus, Party, PipelineRow, Source, Stage
from domain.services.relationships import Duplicate
from handlers.labels import LABELS, label
from handlers.text import day, esc, money

# The relationship words join the shared labels, so errors name stages in the user's language too.
LABELS.update({
    Stage.PROSPECT: N_("Prospect"),
    Stage.LEAD: N_("Lead"),
    Stage.OPPORTUNITY: N_("Opportunity"),
    Stage.CUSTOMER: N_("Customer"),
    Source.TRADE_SHOW: N_("trade show"),
    Source.MAILING: N_("mailing"),
    Source.REFERRAL: N_("referral"),
    Source.WEBSITE: N_("website"),
    Source.CAMPAIGN: N_("campaign"),
    Source.OTHER: N_("other"),
    OpportunityStatus.OPEN: N_("Open"),
    OpportunityStatus.WON: N_("Won"),
    OpportunityStatus.LOST: N_("Lost"),
})


def contact_lines(name: str, company: str, email: str, phone: str, source: Source, note: str) -> list[str]:
    rows = [_("Name: {name}").format(name=esc(name))]
    if company:
        rows.append(_("Company: {company}").format(company=esc(company)))
    if email:
        rows.append(_("E-mail: {email}").format(email=esc(email)))
    if phone:
        rows.append(_("Phone: {phone}").format(phone=esc(phone)))
    rows.append(_("Source: {source}").format(source=esc(label(source))))
    if note:
        rows.append(_("Note: {note}").format(note=esc(note)))
    return rows


def duplicate_lines(duplicates: Sequence[Duplicate]) -> list[str]:
    if not duplicates:
        return []
    rows = ["", "⚠️ " + _("<b>Possible duplicate:</b> this e-mail address or phone number is already known.")]
    for d in duplicates:
        if d.kind == "customer":
            rows.append("• " + _("customer {name}").format(name=esc(d.name)))
        elif d.name is None:
            rows.append("• " + _("a party of another salesperson"))
        else:
            rows.append("• " + _("{name} · {stage}").format(name=esc(d.name), stage=esc(label(d.stage))))
    return rows


def party_text(party: Party, names: Mapping[int, str], account: str | None, currency: str) -> str:
    head = [_("<b>{name}</b> · {stage}").format(name=esc(party.display_name), stage=esc(label(party.stage)))]
    head += contact_lines(party.name, party.company, party.email, party.phone, party.source, party.note)[1:]
    if party.postal_address:
        head.append(_("Postal address: {address}").format(address=esc(", ".join(party.postal_address.splitlines()))))
    if account:
        head.append(_("Customer account: {account}").format(account=esc(account)))
    rows = []
    for o in party.opportunities:
        if o.estimate_pending:
            text = _("Opportunity: estimate pending · {status}").format(status=esc(label(o.status)))
        else:
            text = _("Opportunity: {value}, {probability}% by {date} · {status}").format(
                value=money(o.estimated_value, currency), probability=esc(f"{o.probability.normalize():f}"),
                date=day(o.expected_close), status=esc(label(o.status)))
        if o.reason:
            text += " — " + esc(o.reason)
        rows.append(text)
    history = [_("History:")]
    for change in party.history:
        who = esc(names.get(change.changed_by, "?"))
        when = day(change.changed_at.date())
        if change.from_stage is None:
            history.append("• " + _("{date}: captured as {stage} by {who}").format(
                date=when, stage=esc(label(change.to_stage)), who=who))
        else:
            history.append("• " + _("{date}: {before} → {after} by {who}").format(
                date=when, before=esc(label(change.from_stage)), after=esc(label(change.to_stage)), who=who))
    return "\n".join(head + ([""] + rows if rows else []) + [""] + history)


def pipeline_text(rows: Sequence[PipelineRow], currency: str, everyone: bool) -> str:
    title = _("<b>Pipeline of everyone</b>") if everyone else _("<b>Your pipeline</b>")
    lines = [title]
    for row in rows:
        if row.key in (Stage.PROSPECT, Stage.LEAD):
            lines.append(_("{stage}: {count}").format(stage=esc(label(row.key)), count=row.count))
        elif row.key is Stage.OPPORTUNITY:
            lines.append(_("{stage}: {count} · {value} (weighted {weighted})").format(
                stage=esc(label(row.key)), count=row.count, value=money(row.value, currency),
                weighted=money(row.weighted, currency)))
            if row.pending:
                lines.append("  " + _("of which without an estimate yet: {count} (no value counted)").format(
                    count=row.pending))
        else:
            lines.append(_("{stage}: {count} · {value}").format(
                stage=esc(label(row.key)), count=row.count, value=money(row.value, currency)))
    return "\n".join(lines)
