"""Signing in: the first administrator, the login dialog and the idle lock."""

from evacsupport.ui.views.signin.dialogs import FirstAdminDialog, LockDialog, LoginDialog, sign_in
from evacsupport.ui.views.signin.idle import IdleLock

__all__ = ["FirstAdminDialog", "IdleLock", "LockDialog", "LoginDialog", "sign_in"]
