from django.contrib.auth import views as auth_views
from django.urls import path

from core import account_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.AccountView.as_view(), name="account"),
    path("account/language/", account_views.LanguageSetView.as_view(), name="language-set"),
    path("account/two-factor/setup/", account_views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("account/two-factor/verify/", account_views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
]
