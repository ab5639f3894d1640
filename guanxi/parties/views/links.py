"""Linking people to organizations (contacts), with an organization look-up for the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import NotFoundError
from guanxi.parties.choices import PartyKind
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import employment as employment_svc


@login_required
def organization_lookup(request):
    """<option>s of organizations the user may see, for the link form (htmx)."""
    q = request.GET.get("q", "").strip()[:100]
    orgs = (
        sel.organizations_visible(actor=request.user, q=q).only("id", "name").order_by("name")[:20]
        if q
        else []
    )
    return render(request, "parties/partials/org_options.html", {"orgs": orgs, "q": q})


@login_required
@require_POST
def employment_add(request, pk):
    person = sel.party_get(actor=request.user, pk=pk)
    if person.kind != PartyKind.PERSON:
        raise NotFoundError()
    try:
        org = sel.party_get(actor=request.user, pk=request.POST.get("organization"))
        employment_svc.employment_add(
            actor=request.user, person=person, organization=org, job_title=request.POST.get("job_title", "")
        )
        messages.success(
            request, _("%(person)s is now a contact of %(org)s.") % {"person": person.name, "org": org.name}
        )
    except NotFoundError:
        messages.error(request, _("Choose an organization from the list."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{person.get_absolute_url()}?tab=organizations")
