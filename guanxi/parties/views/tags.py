"""Tags: list with usage counts, create, rename/recolour, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guanxi.parties.forms import TagForm
from guanxi.parties.models import Tag
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import tags as tag_svc


@login_required
def tag_list(request):
    tags = sel.tag_list_with_counts(actor=request.user)
    return render(request, "parties/tags.html", {"tags": tags, "nav": "tags"})


@login_required
def tag_edit(request, pk=None):
    tag = get_object_or_404(sel.tag_list(actor=request.user), pk=pk) if pk else None
    tag_svc.require_may_edit(actor=request.user, tag=tag)  # refused on opening, not after typing
    initial = {"name": tag.name, "color": tag.color} if tag else None
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if tag is None:
                tag = tag_svc.tag_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Tag “%(name)s” created.") % {"name": tag.name})
            else:
                tag_svc.tag_update(actor=request.user, tag=tag, **form.cleaned_data)
                messages.success(request, _("Tag “%(name)s” saved.") % {"name": tag.name})
            return redirect("parties:tags")
        except ValidationError as exc:
            form.add_service_errors(exc)
    return render(request, "parties/tag_form.html", {"form": form, "tag": tag, "nav": "tags"})


@login_required
@require_POST
def tag_delete(request, pk):
    tag = get_object_or_404(Tag, pk=pk)
    n = tag_svc.tag_delete(actor=request.user, tag=tag)
    messages.success(
        request,
        ngettext(
            "Tag “%(name)s” deleted; it was on %(n)d record.",
            "Tag “%(name)s” deleted; it was on %(n)d records.",
            n,
        )
        % {"name": tag.name, "n": n},
    )
    return redirect("parties:tags")
