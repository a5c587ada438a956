"""Secret values the acceptance run plants, so the scans know what to look for."""

PLANTED_PASSWORD = 'Pl4nt"ed\\P\'w&<ü>-7Q'  # at most 32 characters, the login schema's limit
# A part that no escaping changes: found even where the scan does not know the escaped form.
PLANTED_CORE = "Pl4nt"
# The acceptance suites' own wrong password and unissued Guid, planted as well.
OTHER_SECRETS = ["not-the-password-xxxxxxxx", "00000000-0000-0000-0000-000000000000.NotIssued"]
