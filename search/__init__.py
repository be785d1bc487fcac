"""Search everything (docs/search.md): one selector both the pages (web) and the API call.

It reads every register (contracts, transition, raid), so it sits above them and below the
interfaces, which may not import each other.
"""
