#!/usr/bin/env bash
# Publish a Thai announcement with a photo through the wordpress channel to a REAL WordPress
# running on loopback, then read it back (the ignored test `real_wordpress_on_loopback` in
# adapters/tests/wordpress.rs).
#
# What it does, each step timed:
#   1. installs Debian's `wordpress` (6.1 on bookworm), `php-cli`, `php-mysql`, `php-gd` if
#      missing (needs root; about 15 s from the Debian mirror);
#   2. copies WordPress into a temporary folder with its own wp-config.php (the system's
#      /etc/wordpress is left alone) and creates a fresh MariaDB database;
#   3. starts PHP's built-in server on 127.0.0.1 (a free port), installs the site without
#      pretty permalinks (so the REST API is reached as /?rest_route=…), creates an Editor
#      `prakat` and an application password for it;
#   4. runs the ignored test against it; stops the server and drops the database on exit.
#
# Environment (all optional): PRAKAT_WP_E2E_DB_HOST (127.0.0.1), PRAKAT_WP_E2E_DB_USER (root),
# PRAKAT_WP_E2E_DB_PASSWORD (empty), PRAKAT_WP_E2E_DB_NAME (prakat_wp_e2e),
# PRAKAT_WP_E2E_KEEP=1 keeps the server running, its folder and the database, for a look
# afterwards.
# CI runs it (.ci/run); it installs system packages and needs a MariaDB/MySQL server.
set -euo pipefail

cd "$(dirname "$0")/.."
DB_HOST=${PRAKAT_WP_E2E_DB_HOST:-127.0.0.1}
DB_USER=${PRAKAT_WP_E2E_DB_USER:-root}
DB_PASSWORD=${PRAKAT_WP_E2E_DB_PASSWORD:-}
DB_NAME=${PRAKAT_WP_E2E_DB_NAME:-prakat_wp_e2e}
start=$(date +%s)
step() { echo "== [$(($(date +%s) - start))s] $*"; }

step "packages"
if ! dpkg -s wordpress php-cli php-mysql php-gd >/dev/null 2>&1; then
    apt-get update -qq
    # Debian's wordpress depends on a web server and mod_php, so apt also installs apache2 and
    # libapache2-mod-php (unused here: PHP's built-in server serves the site; on a machine with
    # systemd, Apache starts on port 80 after the install).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        php-cli php-mysql php-gd mariadb-client wordpress >/dev/null
fi

mysql_() { mysql -h"$DB_HOST" -u"$DB_USER" ${DB_PASSWORD:+-p"$DB_PASSWORD"} "$@"; }

WORK=$(mktemp -d /tmp/prakat-wp-e2e.XXXXXX)
SERVER_PID=
URL=
cleanup() {
    if [ "${PRAKAT_WP_E2E_KEEP:-0}" != 1 ]; then
        if [ -n "$SERVER_PID" ]; then kill -- "-$SERVER_PID" 2>/dev/null || true; fi
        mysql_ -e "DROP DATABASE IF EXISTS \`$DB_NAME\`" || true
        rm -rf "$WORK"
    else
        echo "kept: $WORK, database $DB_NAME, server $URL (stop it: kill -- -$SERVER_PID)"
    fi
}
trap cleanup EXIT

step "site files and database"
cp -a /usr/share/wordpress "$WORK/site"
mysql_ -e "DROP DATABASE IF EXISTS \`$DB_NAME\`; CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
PORT=$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);')
URL="http://127.0.0.1:$PORT"
salt() { php -r 'echo bin2hex(random_bytes(32));'; }
cat > "$WORK/site/wp-config.php" <<PHP
<?php
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$DB_PASSWORD');
define('DB_HOST', '$DB_HOST');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('AUTH_KEY', '$(salt)'); define('SECURE_AUTH_KEY', '$(salt)');
define('LOGGED_IN_KEY', '$(salt)'); define('NONCE_KEY', '$(salt)');
define('AUTH_SALT', '$(salt)'); define('SECURE_AUTH_SALT', '$(salt)');
define('LOGGED_IN_SALT', '$(salt)'); define('NONCE_SALT', '$(salt)');
define('WP_HOME', '$URL');
define('WP_SITEURL', '$URL');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
// Application passwords need HTTPS or a "local" environment.
define('WP_ENVIRONMENT_TYPE', 'local');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP
mkdir -p "$WORK/site/wp-content/uploads"

step "server on $URL"
# Its own process group, so that stopping it also stops its workers.
PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$PORT" -t "$WORK/site" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

step "install WordPress, user and application password"
cat > "$WORK/setup.php" <<'PHP'
<?php
// Run with php-cli: install the site, make an Editor and an application password for it.
[$_, $site, $host] = $argv;
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require $site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('สถานีตำรวจภูธรทดสอบ', 'admin', 'admin@example.invalid', false, '', wp_generate_password(24));
update_option('permalink_structure', '');
$uid = wp_create_user('prakat', wp_generate_password(24), 'prakat@example.invalid');
if (is_wp_error($uid)) { fwrite(STDERR, $uid->get_error_message() . "\n"); exit(1); }
(new WP_User($uid))->set_role('editor');
$made = WP_Application_Passwords::create_new_application_password($uid, ['name' => 'prakat e2e']);
if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message() . "\n"); exit(1); }
echo $made[0];
PHP
APP_PASSWORD=$(php "$WORK/setup.php" "$WORK/site" "127.0.0.1:$PORT" 2>"$WORK/setup.err" | tail -n 1) || {
    cat "$WORK/setup.err" >&2; exit 1; }
[ -n "$APP_PASSWORD" ] || { cat "$WORK/setup.err" >&2; exit 1; }
for _ in $(seq 50); do
    curl -fsS "$URL/?rest_route=/" >/dev/null 2>&1 && break
    sleep 0.2
done

php -r '$im = imagecreatetruecolor(160, 90); imagefill($im, 0, 0, imagecolorallocate($im, 20, 60, 140));
    imagefilledrectangle($im, 20, 20, 140, 70, imagecolorallocate($im, 250, 200, 0));
    imagepng($im, $argv[1]);' "$WORK/photo.png"
step "WordPress $(php -r 'include "'"$WORK"'/site/wp-includes/version.php"; echo $wp_version;') ready"

step "test"
PRAKAT_WP_E2E_URL="$URL" PRAKAT_WP_E2E_USER=prakat PRAKAT_WP_E2E_PASSWORD="$APP_PASSWORD" \
PRAKAT_WP_E2E_IMAGE="$WORK/photo.png" \
    cargo test -p prakat-adapters --no-default-features --features wordpress --test wordpress \
    real_wordpress_on_loopback -- --ignored --nocapture
step "done"
