# Filled in by the checks issue.
