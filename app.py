"""Start the development server: ``python app.py`` (production: gunicorn, see README)."""
from app import create_app

if __name__ == "__main__":
    import os

    create_app().run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))
