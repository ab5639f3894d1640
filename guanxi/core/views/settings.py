"""Settings (administrators): users, teams and roles. API tokens (every user their own; administrators all)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.forms import TeamForm, TokenForm, UserForm
from guanxi.core.models import User
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.sessions import session_get, session_list, sign_in_activity
from guanxi.core.selectors.users import team_list, token_list, token_list_all, user_list
from guanxi.core.services import sessions as session_svc
from guanxi.core.services import tokens as token_svc
from guanxi.core.services import users as user_svc


def _require_admin(request):
    if not grants_for(request.user).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


@login_required
def users(request):
    qs = user_list(actor=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = (
            qs.filter(username__icontains=q)
            | qs.filter(last_name__icontains=q)
            | qs.filter(email__icontains=q)
        )
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "core/settings/users.html", {"page": page, "q": q, "section": "users"})


@login_required
def user_edit(request, pk=None):
    _require_admin(request)
    user = get_object_or_404(User, pk=pk) if pk else None
    if request.method == "POST":
        form = UserForm(request.POST, creating=user is None)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if user is None:
                    user = user_svc.user_create(
                        actor=request.user,
                        username=d["username"],
                        password=d["password"],
                        first_name=d["first_name"],
                        last_name=d["last_name"],
                        email=d["email"],
                        language=d["language"],
                        roles=d["roles"],
                        teams=list(d["teams"]),
                    )
                    messages.success(request, _("User %(name)s created.") % {"name": user.username})
                else:
                    user_svc.user_update(
                        actor=request.user,
                        user=user,
                        roles=d["roles"],
                        teams=list(d["teams"]),
                        username=d["username"],
                        first_name=d["first_name"],
                        last_name=d["last_name"],
                        email=d["email"],
                        language=d["language"],
                        is_active=d["is_active"],
                    )
                    if d["password"]:
                        user_svc.user_set_password(
                            actor=request.user,
                            user=user,
                            password=d["password"],
                            keep_session_key=request.session.session_key if user == request.user else None,
                        )
                        if user == request.user:  # stay signed in here, with the new password
                            old_key = request.session.session_key
                            update_session_auth_hash(request, user)
                            session_svc.session_key_changed(
                                old_key=old_key, new_key=request.session.session_key
                            )
                    messages.success(request, _("User %(name)s saved.") % {"name": user.username})
                return redirect("core:users")
            except ValidationError as exc:
                form.add_service_errors(exc)
    elif user is not None:
        form = UserForm(
            initial={
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "language": user.language,
                "is_active": user.is_active,
                "roles": list(user.groups.values_list("name", flat=True)),
                "teams": list(user.teams.all()),
            }
        )
    else:
        form = UserForm(creating=True)
    context: dict[str, object] = {"form": form, "edited": user, "section": "users"}
    if user is not None:
        context["user_sessions"] = session_list(actor=request.user, user=user)
        context["activity"] = sign_in_activity(actor=request.user, user=user)
    return render(request, "core/settings/user_form.html", context)


def _ended_message(count: int) -> str:
    return ngettext("%(n)d session signed out.", "%(n)d sessions signed out.", count) % {"n": count}


@login_required
def sessions(request):
    """The user's own signed-in sessions; POST signs out all the others."""
    if request.method == "POST":
        count = session_svc.sessions_end_others(
            actor=request.user, user=request.user, keep_session_key=request.session.session_key
        )
        messages.success(request, _ended_message(count))
        return redirect("core:sessions")
    return render(
        request,
        "core/settings/sessions.html",
        {
            "user_sessions": session_list(actor=request.user, user=request.user),
            "activity": sign_in_activity(actor=request.user, user=request.user),
            "section": "sessions",
        },
    )


@login_required
@require_POST
def session_end(request, pk):
    """Sign out one session: one's own, or (an administrator) anyone's."""
    row = session_get(actor=request.user, pk=pk)
    if row is None:
        raise Http404
    session_svc.session_end(actor=request.user, user_session=row)
    messages.success(request, _ended_message(1))
    if row.user_id != request.user.pk:
        return redirect("core:user_edit", pk=row.user_id)
    return redirect("core:sessions")


@login_required
@require_POST
def user_sessions_end(request, pk):
    """An administrator signs a user out everywhere."""
    _require_admin(request)
    user = get_object_or_404(User, pk=pk)
    keep = request.session.session_key if user.pk == request.user.pk else None
    count = session_svc.sessions_end_others(actor=request.user, user=user, keep_session_key=keep)
    messages.success(request, _ended_message(count))
    return redirect("core:user_edit", pk=user.pk)


@login_required
def teams(request):
    qs = team_list(actor=request.user)
    form = TeamForm()
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team = user_svc.team_create(actor=request.user, name=form.cleaned_data["name"])
                messages.success(request, _("Team %(name)s created.") % {"name": team.name})
                return redirect("core:teams")
            except ValidationError as exc:
                form.add_service_errors(exc)
    return render(request, "core/settings/teams.html", {"teams": qs, "form": form, "section": "teams"})


# The secret of a token just created waits here for the one page view that shows it (post/redirect/get).
NEW_TOKEN_SESSION_KEY = "guanxi_new_token"


@login_required
@never_cache
def tokens(request):
    """The user's own tokens and a form for a new one; administrators also see every other user's tokens."""
    new = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = token_svc.token_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
                return redirect("core:tokens")
    else:
        form = TokenForm()
        new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)  # shown once: a reload shows it no more
    admin = grants_for(request.user).can(Action.SETTINGS_MANAGE)
    others = None
    if admin:
        qs = token_list_all(actor=request.user).exclude(user=request.user)
        others = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/settings/tokens.html",
        {
            "tokens": token_list(actor=request.user),
            "others": others,
            "page": others,
            "form": form,
            "new_secret": new["secret"] if new else None,
            "new_token_id": new["id"] if new else None,
            "section": "tokens",
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    """Users revoke their own tokens; administrators anyone's. Someone else's token is a 404 to others."""
    if grants_for(request.user).can(Action.SETTINGS_MANAGE):
        token = get_object_or_404(token_list_all(actor=request.user), pk=pk)
    else:
        token = get_object_or_404(token_list(actor=request.user), pk=pk)
    token_svc.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("core:tokens")
