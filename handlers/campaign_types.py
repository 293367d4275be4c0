"""The parts of a campaign's card that differ per type: what a mailing prints and how far a
telemarketing call list is (per outcome and per salesperson)."""
from __future__ import annotations

from bot.i18n import _
from domain.call_list import CallOutcome
from domain.campaign import CampaignStatus as S, CampaignType
from domain.services.campaigns import CampaignView
from handlers.labels import label
from handlers.text import esc

def outcome_label(outcome: CallOutcome | str) -> str:
    return label(CallOutcome(outcome))


def count_lines(v: CampaignView) -> list[str]:
    c, n = v.campaign, v.contacts
    if c.type is CampaignType.MAILING:
        if c.status is S.DONE:
            return [_("The print file was produced; the campaign is done.")]
        return [_("{count} letter(s) to print; {skipped} contact(s) opted out and get none.").format(
            count=n.contacts - n.refused, skipped=n.refused)]
    if v.calls is None:
        return [_("Reaches {count} contact(s); {skipped} without a phone number will be skipped.").format(
            count=n.contacts - n.without_phone, skipped=n.without_phone)]
    states, p = v.calls.by_state, v.calls
    lines = [_("Calls: {open} open · {done} done · {skipped} skipped (no phone number)").format(
        open=states.get("open", 0), done=states.get("done", 0), skipped=states.get("skipped", 0))]
    if states.get("cancelled"):
        lines.append(_("{count} open call(s) were closed when the campaign was cancelled.").format(
            count=states["cancelled"]))
    if p.by_outcome:
        lines.append(" · ".join(f"{outcome_label(o)} {p.by_outcome.get(str(o), 0)}" for o in CallOutcome))
    for name, open_, done in p.by_person:
        lines.append(_("{name}: {open} open, {done} done").format(
            name=esc(name) if name else _("unassigned (for a manager)"), open=open_, done=done))
    return lines
