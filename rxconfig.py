"""Reflex configuration: everything comes from the typed settings object."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from tutela_app.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="tutela_app",
    db_url=_settings.database_url,
    telemetry_enabled=False,
    # One origin in every run mode: the app is exported and served by the backend
    # (``reflex run --env prod --single-port``), so API and pages share the public URL.
    frontend_port=_settings.listen_port,
    backend_port=_settings.listen_port,
    backend_host=_settings.bind_host,
    api_url=_settings.public_url,
    deploy_url=_settings.public_url,
    cors_allowed_origins=[_settings.public_url],
    redis_url=_settings.redis_url,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium"))],
    disable_plugins=[SitemapPlugin],
)
