"""reportchat's server: the web chat at / and the HTTP API (docs at /docs). ≡ `reportchat serve`.

    python app.py [--host 127.0.0.1] [--port 7860] [--home .reportchat]
"""

import argparse
import sys
from pathlib import Path

from assistant.server import serve
from index.errors import SettingsError
from index.settings import load_settings

if __name__ == "__main__":
    try:
        settings = load_settings()
    except SettingsError as exc:
        sys.exit(f"reportchat: {exc}")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--home", type=Path, default=settings.home)
    args = parser.parse_args()
    serve(settings.model_copy(update={"host": args.host, "port": args.port, "home": args.home}))
