import framework.store.casework  # noqa: F401  (registers the kernel's m004/m005 after db's own)
from framework.store.db import Store, iso, kernel_migrations  # noqa: F401
