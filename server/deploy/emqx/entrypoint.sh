#!/usr/bin/env bash
# Entry point of the EMQX container (see ../docker-compose.yml): writes the bootstrap file of the
# built-in-database authenticator (emqx.conf, authentication.1.bootstrap_file) with the Kefu server's
# superuser account, then hands over to the image's own entry point with the original command.
#
# The file is generated rather than committed because it holds MQTT_PASSWORD, which lives only in .env.
# It is written under /tmp (not on the data volume) with mode 600 and rewritten at every start.
# EMQX adds users from it that do not exist yet and never overwrites an existing one: see the README,
# "Rotating the server's MQTT password".
set -euo pipefail

user="${KEFU_MQTT_USERNAME:?KEFU_MQTT_USERNAME (MQTT_USERNAME in .env) is required}"
pass="${KEFU_MQTT_PASSWORD:?KEFU_MQTT_PASSWORD (MQTT_PASSWORD in .env) is required}"

# The CSV is written without quoting, so refuse anything that could break a field or a line.
if [[ ! "$user" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
  echo "emqx entrypoint: MQTT_USERNAME must be 1-64 letters, digits, '.', '_' or '-'" >&2
  exit 1
fi
if [[ ! "$pass" =~ ^[A-Za-z0-9._~+/=-]{24,256}$ ]]; then
  echo "emqx entrypoint: MQTT_PASSWORD must be 24-256 characters from [A-Za-z0-9._~+/=-]" \
    "(e.g. openssl rand -hex 32)" >&2
  exit 1
fi

# Must match authentication.1.bootstrap_file in emqx.conf.
bootstrap=/tmp/kefu-authn-bootstrap.csv
umask 077
printf 'user_id,password,is_superuser\n%s,%s,true\n' "$user" "$pass" >"$bootstrap"

# The Kefu servers' REST API key (emqx.conf, api_key.bootstrap_file): "key:secret", one per line.
api_key="${KEFU_EMQX_API_KEY:?KEFU_EMQX_API_KEY (EMQX_API_KEY in .env) is required}"
api_secret="${KEFU_EMQX_API_SECRET:?KEFU_EMQX_API_SECRET (EMQX_API_SECRET in .env) is required}"
if [[ ! "$api_key" =~ ^[A-Za-z0-9_-]{1,64}$ || ! "$api_secret" =~ ^[A-Za-z0-9._~+/=-]{24,128}$ ]]; then
  echo "emqx entrypoint: EMQX_API_KEY must be 1-64 of [A-Za-z0-9_-], EMQX_API_SECRET 24-128 of" \
    "[A-Za-z0-9._~+/=-] (e.g. openssl rand -hex 32)" >&2
  exit 1
fi
printf '%s:%s\n' "$api_key" "$api_secret" >/tmp/kefu-api-key.bootstrap

# EMQX itself does not need these; keep the secrets out of its environment.
unset KEFU_MQTT_USERNAME KEFU_MQTT_PASSWORD KEFU_EMQX_API_KEY KEFU_EMQX_API_SECRET user pass api_key api_secret

# The emqx/emqx image's entry point (it derives the node name, then runs "$@").
exec /usr/bin/docker-entrypoint.sh "$@"
