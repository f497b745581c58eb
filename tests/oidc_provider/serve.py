"""Start the test OpenID Connect provider: a new RS256 key, a fresh SQLite file, the client and the people
of the configuration file, then Django's development server on 127.0.0.1 (see README.md)."""

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    data = Path(config["dir"])
    data.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (data / "key.pem").write_bytes(pem)
    (data / "provider.sqlite3").unlink(missing_ok=True)

    sys.path.insert(0, str(Path(__file__).parent))
    os.environ["OIDC_PROVIDER_CONFIG"] = str(Path(config_path).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "provider_settings"
    import django  # noqa: PLC0415

    django.setup()
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from oauth2_provider.models import Application  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    for person in config["users"]:
        User.objects.create_user(person["username"], password=person["password"])
    Application.objects.create(
        name="Bình dân học vụ số",
        client_id=config["client_id"],
        client_secret=config["client_secret"],  # stored hashed
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=config["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    call_command("runserver", f"127.0.0.1:{config['port']}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(sys.argv[1])
