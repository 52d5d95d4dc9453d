"""Staff sign-in pages in the console: the second factor, a member of staff's own sign-in
settings, and accepting an invitation ("console:accounts")."""

from django.urls import path

from goodskin.accounts import factor_views

app_name = "accounts"

urlpatterns = [
    path("sign-in/second-factor/", factor_views.second_factor, name="second_factor"),
    path("sign-in/passkey-options/", factor_views.passkey_options, name="passkey_options"),
    path("sign-in/yours/", factor_views.my_sign_in, name="my_sign_in"),
]
