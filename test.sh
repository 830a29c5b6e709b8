#!/usr/bin/env bash
# The test command (README "Test it"; CI runs it too). On a fresh machine with a JDK 17 and Maven,
# it installs what the tests need and the machine lacks, then runs every test: `./mvnw -B verify`,
# with any arguments passed on (`./test.sh -pl edge-service -am`).
set -euo pipefail
cd "$(dirname "$0")"

# Everything the tests run besides Java and Maven, one line each:
#   what they run: a command, or python3:<module>    how to install it: a Debian package, or
#   npm:<package>    which tests
NEEDS=$(cat <<'END'
chromium                 chromium                 DashboardBrowserTest: a real headless browser
chromedriver             chromium-driver          DashboardBrowserTest: drives the browser
promtool                 prometheus               MetricsLintTest, MetricsEndpointTest, function-sdk-it: promtool check metrics
curl                     curl                     DocsCommandsIT (the docs' commands), AdminBodiesAndErrorsTest, HttpsTest
openssl                  openssl                  DocsCommandsIT: README's self-signed HTTPS certificate
jq                       jq                       DocsCommandsIT: the docs' commands use it
wscat                    npm:wscat@6              DocsCommandsIT: the docs' WebSocket client
aws                      awscli                   DynamoDbCliEndToEndTest, DynamoDbSignatureEndToEndTest, DocsCommandsIT: the AWS CLI against the DynamoDB API
python3                  python3                  HttpBackendTest: python's http.server as a backend
node                     nodejs                   function-sdk-it: the Node.js SDK
npm                      npm                      function-sdk-it: npm ci of the Node.js SDK's kafkajs
python3:confluent_kafka  python3-confluent-kafka  function-sdk-it: the Python SDK
END
)

# Whether one need is met.
present() {
  case "$1" in
    python3:*) /usr/bin/python3 -c "import ${1#python3:}" >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

debian=()
npm=()
while read -r need source _; do
  if [ -n "$need" ] && ! present "$need"; then
    case "$source" in
      npm:*) npm+=("${source#npm:}") ;;
      *) debian+=("$source") ;;
    esac
  fi
done <<<"$NEEDS"
if [ ${#npm[@]} -gt 0 ] && ! command -v npm >/dev/null 2>&1; then
  debian+=(npm)
fi

# As root, or through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

cannot_install() {
  echo "test.sh: could not install $1 ($2); install them, or what provides the commands" \
    "in NEEDS at the top of test.sh, and run it again" >&2
  exit 1
}

if [ ${#debian[@]} -gt 0 ]; then
  echo "test.sh: installing what the tests need: ${debian[*]}"
  command -v apt-get >/dev/null 2>&1 &&
    as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian[@]}" >/dev/null ||
    cannot_install "${debian[*]}" "Debian and Ubuntu: apt-get install ${debian[*]}"
fi
if [ ${#npm[@]} -gt 0 ]; then
  echo "test.sh: installing what the tests need: ${npm[*]} (npm)"
  as_root npm install -g --silent "${npm[@]}" >/dev/null ||
    cannot_install "${npm[*]}" "npm install -g ${npm[*]}"
fi

exec ./mvnw -B verify "$@"
