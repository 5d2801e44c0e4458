"""The accounts the test session creates."""

ADMIN_USER = "admin"
ADMIN_PASSWORD = "Xieban#Pass2026"  # rules: not containing the user name


def add_account(app, prefix: str, password: str, *, chosen: bool = True) -> tuple[str, int]:
    """A new administrator account ``<prefix>_<random>``; (name, id). ``chosen``: the owner
    chose the password (no forced change at first login)."""
    import uuid

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(name, "测试", prefix, f"{name}@example.invalid",
                           sm.find_role(sm.auth_role_admin), password=password,
                           password_chosen=chosen)
        return name, user.id


def drop_account(app, user_id: int) -> None:
    """Delete the account ``user_id`` if it still exists."""
    from app.extensions import db

    with app.app_context():
        user = app.appbuilder.sm.get_user_by_id(user_id)
        if user is not None:
            db.session.delete(user)
            db.session.commit()


def signed_in(app, name: str, password: str):
    """A test client signed in as ``name`` through the login form."""
    client = app.test_client()
    response = client.post("/login/", data={"username": name, "password": password})
    assert response.status_code == 302 and "/login/" not in response.location
    return client
