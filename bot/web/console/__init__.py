"""The staff console's web pages under /staff (routes), who may use them (access) and the
template filters they render with (filters). The console's logic is in bot/staff/."""
