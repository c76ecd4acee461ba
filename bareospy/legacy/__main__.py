"""``python -m bareospy.legacy``: print the directory of the legacy plugins
(give it to the daemon: ``bareospy-fd -p "$(python -m bareospy.legacy)" --plugin python``)."""
from bareospy.legacy import PLUGIN_DIR

print(PLUGIN_DIR)
