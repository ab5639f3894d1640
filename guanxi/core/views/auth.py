from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, ngettext
from django.views.decorators.http import require_POST

from guanxi.core import registry
from guanxi.core.clientinfo import client_ip
from guanxi.core.roles import grants_for
from guanxi.core.services import logins
from guanxi.core.services.sessions import session_key_changed
from guanxi.core.services.users import user_set_language, user_set_password


def wait_message(seconds: int) -> str:
    """What a throttled sign-in is told: the same whether or not the account exists."""
    if seconds < 60:
        return ngettext(
            "Too many failed attempts: try again in %(n)d second.",
            "Too many failed attempts: try again in %(n)d seconds.",
            seconds,
        ) % {"n": seconds}
    minutes = (seconds + 59) // 60
    return ngettext(
        "Too many failed attempts: try again in %(n)d minute.",
        "Too many failed attempts: try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


class LoginView(auth_views.LoginView):
    """Django's login, throttled per account name and per client address, and audited."""

    redirect_authenticated_user = True

    def _client(self) -> dict:
        return {
            "ip_address": client_ip(self.request),
            "user_agent": self.request.META.get("HTTP_USER_AGENT", ""),
        }

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        wait = logins.login_wait(username=username, ip_address=client_ip(request))
        if wait:  # refused before the password is even looked at
            logins.login_blocked(username=username, **self._client())
            form = self.get_form_class()(request, initial={"username": username[:150]})
            context = self.get_context_data(form=form, refusal=wait_message(wait))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        checked = form.has_error(NON_FIELD_ERRORS, "invalid_login") or form.has_error(
            NON_FIELD_ERRORS, "inactive"
        )
        if checked:
            wait = logins.login_failed(username=form.cleaned_data.get("username", ""), **self._client())
            if wait:
                return self.render_to_response(self.get_context_data(form=form, refusal=wait_message(wait)))
        return super().form_invalid(form)

    def form_valid(self, form):
        logins.login_succeeded(user=form.get_user(), **self._client())
        response = super().form_valid(form)
        lang = form.get_user().language
        if lang:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 86400, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout (a POST), audited."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            logins.logout_recorded(
                user=request.user,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password through the service: validated, audited, and every other session of
    the user is signed out (this one stays signed in)."""

    success_url = reverse_lazy("core:password_change_done")

    def form_valid(self, form):
        request = self.request
        user = request.user
        if not user.is_authenticated:  # never: the view is login_required
            raise PermissionDenied
        old_key = request.session.session_key
        try:
            user_set_password(
                actor=user,
                user=user,
                password=form.cleaned_data["new_password1"],
                keep_session_key=old_key,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("new_password1", message)
            return self.form_invalid(form)
        update_session_auth_hash(request, user)  # gives this session a new key
        session_key_changed(old_key=old_key, new_key=request.session.session_key)
        return HttpResponseRedirect(self.get_success_url())


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
    home_url = registry.home_url_for(grants_for(request.user))  # the first page of the menu the user may use
    if home_url:
        return redirect(home_url)
    return render(request, "core/no_role.html")
