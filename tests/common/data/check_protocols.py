"""mypy --strict checks that typed_sample_plugin, as a module, fits the
script protocols of bareospy.typing (test_stubs.py)."""
import typed_sample_plugin

from bareospy.typing import BackupScript, RestoreScript

backup: BackupScript = typed_sample_plugin
restore: RestoreScript = typed_sample_plugin
