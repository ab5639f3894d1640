from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from guanxi.core import registry
from guanxi.core.exceptions import GuanxiError
from guanxi.tests.plugin_app.models import Widget
from guanxi.tests.plugin_app.services import widget_submit, widgets_visible

WIDGET = "plugin_app.widget"


@login_required
def widget_list(request):
    names = ", ".join(w.name for w in widgets_visible(actor=request.user))
    return HttpResponse(f"<h1>Widgets</h1><p id='widgets'>{names}</p>")


def _widget(request, pk) -> Widget:
    widget = widgets_visible(actor=request.user).filter(pk=pk).first()
    if widget is None:
        raise Http404
    return widget


@login_required
def widget_detail(request, pk):
    """A document page like any app's: its own fields, and the tabs other blocks register (Approval)."""
    widget = _widget(request, pk)
    tabs = registry.tabs_for(WIDGET, widget, request.user)
    default = "approval" if any(t.key == "approval" for t in tabs) else (tabs[0].key if tabs else "")
    key = request.GET.get("tab") or default
    tab = next((t for t in tabs if t.key == key), None)
    html = ""
    if tab is not None:
        ctx = {"object": widget, **(tab.context(widget, request.user) if tab.context else {})}
        html = render_to_string(tab.template, ctx, request=request)
    doc = registry.document_type(WIDGET)
    can_submit = widget.status in ("draft", "rejected") and doc.may_change(request.user, widget)
    return render(
        request,
        "plugin_app/detail.html",
        {"widget": widget, "tabs": tabs, "active": tab, "tab_html": html, "can_submit": can_submit},
    )


@login_required
@require_POST
def widget_submit_view(request, pk):
    widget = _widget(request, pk)
    try:
        req = widget_submit(actor=request.user, widget=widget)
    except GuanxiError as exc:
        after = getattr(exc, "after_rollback", None)
        if after:
            after()  # an approval setup problem: recorded for the administrators too
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, "Approved: no approval needed." if req.status == "approved" else "Submitted."
        )
    return redirect("plugin_app:detail", pk=widget.pk)
