from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from guanxi.tests.plugin_app.services import widgets_visible


@login_required
def widget_list(request):
    names = ", ".join(w.name for w in widgets_visible(actor=request.user))
    return HttpResponse(f"<h1>Widgets</h1><p id='widgets'>{names}</p>")
