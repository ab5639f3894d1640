from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from guanxi.core.roles import Action, grants_for
from guanxi.core.services.users import user_set_language


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        lang = form.get_user().language
        if lang:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 86400, samesite="Lax")
        return response


@require_POST
def set_language(request):
    """Switch the interface language; remembered in a cookie and on the user's profile."""
    lang = request.POST.get("language", "")
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        nxt = "/"
    response = HttpResponseRedirect(nxt)
    if lang and check_for_language(lang) and lang in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 86400, samesite="Lax")
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=lang)
    return response


def home(request):
    if not request.user.is_authenticated:
        return redirect(reverse("login"))
    grants = grants_for(request.user)
    if grants.can(Action.PARTY_VIEW):
        return redirect("parties:list")
    if grants.can(Action.SETTINGS_MANAGE):
        return redirect("core:users")
    return render(request, "core/no_role.html")
