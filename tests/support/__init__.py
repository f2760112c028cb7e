"""Helpers shared by tests and benchmarks (servers, chats, fixtures' data). Test files and
`bench/` import from here, never from each other."""
