"""Routing inside the client: a gateway config (the seed's and Portkey's) turns one client
into a router over targets.

    _load        a config from a dict, a JSON string, or a JSON/YAML file
    _config      the config checked whole into typed nodes (errors name the place)
    _conditions  conditional routing's query language, compiled once
    _failures    what a failed attempt means: retry, fall back, cool down
    _health      cooldowns and quota headroom per target
    _cache       cache keys and entries
    _state       where state lives: memory, SQLite, Redis (`_state_redis`)
    _flow        the decisions of one call, as a generator (written once for sync and async)
    _steps       the call and the steps the plan yields to the drivers
    _routed      target clients and the two drivers that carry the plan out
    _info        RouteInfo, the record a routed result carries
    _attach      what the client's hook calls: `attach_routing(client)`

Arrows point down: this package uses `_core` and `_auth`; `_core` knows nothing of routes
beyond the hook in its clients' `_request`.
Nothing is imported here: `import azgate` loads `_info` alone, a routed client the rest.
"""
