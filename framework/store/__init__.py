from framework.store.db import Store, iso, kernel_migrations  # noqa: F401
from framework.store import casework  # noqa: F401,E402  (registers the kernel's m004 after db's own)
