"""The domain layer: plain functions over the models, shared by views, CLI, API and tests."""
