from framework.store.db import Store, iso, kernel_migrations  # noqa: F401
