"""The coordinators' dashboard: server-rendered pages over a force's records, with sign-in.

`app.create_app` builds the Starlette application from its dependencies;
`service.DashboardServer` serves it from a running node. Nothing here is built at import time.
"""
