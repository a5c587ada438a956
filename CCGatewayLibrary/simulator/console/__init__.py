"""The simulator's live console: a page that shows the contact centre as the simulator sees it, and drives it.

``snapshot`` (what the page shows), ``activity`` (the latest requests and events) and ``server`` (the page, its
WebSocket and their protection). See docs/simulator.md, "Console".
"""
