#!/usr/bin/env bash
# The public-API guard: compares the exported API of every public package of
# every module in this repository with the API recorded for the last release,
# and fails on an incompatible change that CHANGELOG.md does not list.
#
#   bash .ci/apicheck.sh               check (run by .ci/run)
#   bash .ci/apicheck.sh -record       (re)record the baseline for the newest
#                                      "## vX.Y.Z" heading of CHANGELOG.md
#   bash .ci/apicheck.sh -record v0.2.0   record for a version given explicitly
#   bash .ci/apicheck.sh -selftest     prove the guard on a scratch module
#
# Public packages: those `go list ./...` finds in each module (the root
# go.mod and every nested go.mod), except package main, packages without
# non-test Go files, and anything under internal/, examples/ or testdata/.
#
# Baseline: api/<version>/ holds one export-data file per package, written by
# golang.org/x/exp/cmd/apidiff (pinned below), and packages.txt, the manifest
# (import path, package name, module directory, file). The check compares
# against the highest version under api/.
#
# The rule: an incompatible change (apidiff's "Incompatible changes", or a
# recorded package that is gone) passes only when CHANGELOG.md has, above the
# baseline's "## vB" heading, a new version heading "## vN" that
#   - is a breaking bump of B: a higher major, or for B = v0.x a higher minor
#     (v0.1.0 -> v0.2.0; a patch bump such as v0.1.1 is refused), and
#   - whose text (from "## vN" down to "## vB") names every incompatible
#     change as <package name>.<identifier as apidiff prints it>, e.g.
#     `accesstoken.ParseUnverified`, `conversations.Token.RawGrants`,
#     `conversations.(*Client).Foo` (which may also be written
#     `conversations.Client.Foo`); a removed package by its import path.
# Compatible changes (additions) always pass; they are printed for review.
set -Eeuo pipefail

APIDIFF_VERSION=v0.0.0-20261113113407-e3970619a1a4 # golang.org/x/exp, pinned

here=$(cd "$(dirname "$0")" && pwd)
root=${APICHECK_ROOT:-$(cd "$here/.." && pwd)}
export GOWORK=off

die() { echo "apicheck: $*" >&2; exit 1; }
trap '[ "$BASH_SUBSHELL" -eq 0 ] && echo "apicheck: FAIL: a command failed (line $LINENO)" >&2' ERR

# apidiff_bin installs the pinned apidiff once (into a cache keyed by its
# version) unless APIDIFF names a binary, and prints its path.
apidiff_bin() {
  if [ -n "${APIDIFF:-}" ]; then echo "$APIDIFF"; return; fi
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/conversations-go/apidiff-$APIDIFF_VERSION
  if [ ! -x "$cache/apidiff" ]; then
    mkdir -p "$cache"
    GOBIN="$cache" GOWORK=off go install "golang.org/x/exp/cmd/apidiff@$APIDIFF_VERSION" >&2
  fi
  echo "$cache/apidiff"
}

# modules prints the directory of every module, relative to root ("." first).
modules() {
  (cd "$root" && find . -name go.mod \
      -not -path '*/node_modules/*' -not -path '*/testdata/*' \
      -not -path '*/.*/*' -not -path '*/_*/*' \
    | sed -e 's|/go.mod$||' -e 's|^\./||' -e 's|^\.$|.|' | sort)
}

# packages prints "importpath name moduledir" for every public package.
packages() {
  local m
  for m in $(modules); do
    (cd "$root/$m" && go list -f '{{if and (ne .Name "main") .GoFiles}}{{.ImportPath}} {{.Name}}{{end}}' ./...) |
      { grep -Ev '^[^ ]*/(internal|examples|testdata)(/| )' || true; } |
      while read -r ip name; do echo "$ip $name $m"; done
  done
}

# newest_heading prints the version of the first "## vX.Y.Z" heading of CHANGELOG.md.
newest_heading() {
  grep -E '^## \[?v[0-9]+\.[0-9]+\.[0-9]+' "$root/CHANGELOG.md" | head -1 |
    sed -E 's/^## \[?(v[0-9]+\.[0-9]+\.[0-9]+).*/\1/'
}

record() {
  local ver=${1:-}
  [ -n "$ver" ] || ver=$(newest_heading)
  [ -n "$ver" ] || die "CHANGELOG.md has no '## vX.Y.Z' heading to record for (or pass one: -record v0.1.0)"
  [[ "$ver" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not a version: $ver"
  local bin dir ip name m file n=0
  bin=$(apidiff_bin)
  dir="$root/api/$ver"
  rm -rf "$dir"
  mkdir -p "$dir"
  {
    echo "# The exported API of $ver, recorded by .ci/apicheck.sh -record with"
    echo "# golang.org/x/exp/cmd/apidiff@$APIDIFF_VERSION. One line per package:"
    echo "# import path, package name, module directory, export-data file."
  } >"$dir/packages.txt"
  while read -r ip name m; do
    file=$(echo "$ip" | tr '/' '.').export
    (cd "$root/$m" && "$bin" -w "$dir/$file" "$ip")
    printf '%s\t%s\t%s\t%s\n' "$ip" "$name" "$m" "$file" >>"$dir/packages.txt"
    n=$((n + 1))
  done < <(packages)
  [ "$n" -gt 0 ] || die "found no public package"
  echo "apicheck: recorded the API of $n packages in api/$ver"
  sed -n '/^[^#]/p' "$dir/packages.txt" | cut -f1 | sed 's/^/  /'
}

# semver_parts vX.Y.Z -> "X Y Z"
semver_parts() { echo "${1#v}" | tr '.' ' '; }

check() {
  [ -d "$root/api" ] || die "no baseline: api/ is missing (record one: bash .ci/apicheck.sh -record)"
  local base
  base=$(cd "$root/api" && ls -d v*.*.* 2>/dev/null | sort -V | tail -1)
  [ -n "$base" ] || die "no baseline under api/ (record one: bash .ci/apicheck.sh -record)"
  local manifest="$root/api/$base/packages.txt"
  [ -f "$manifest" ] || die "api/$base/packages.txt is missing"
  grep -qE "^## \[?$base([^0-9.]|\$)" "$root/CHANGELOG.md" ||
    die "CHANGELOG.md has no '## $base' heading, the version of the baseline api/$base"

  local bin current
  bin=$(apidiff_bin)
  current=$(packages)

  local incompatible=() keys=() compatible=() ip name m file cur out line section
  while IFS=$'\t' read -r ip name m file; do
    case "$ip" in '#'* | '') continue ;; esac
    cur=$(echo "$current" | awk -v ip="$ip" '$1 == ip { print $3 }')
    if [ -z "$cur" ]; then
      incompatible+=("$ip: package removed")
      keys+=("$ip")
      continue
    fi
    out=$(cd "$root/$cur" && "$bin" "$root/api/$base/$file" "$ip")
    section=
    while IFS= read -r line; do
      case "$line" in
        'Incompatible changes:') section=i ;;
        'Compatible changes:') section=c ;;
        '- '*)
          line=${line#- }
          if [ "$section" = i ]; then
            incompatible+=("$name.$line")
            keys+=("$name.${line%%: *}")
          else
            compatible+=("$name.$line")
          fi
          ;;
        '') ;;
        *) die "unexpected apidiff output for $ip: $line" ;;
      esac
    done <<<"$out"
  done <"$manifest"
  while read -r ip name m; do
    [ -n "$ip" ] || continue
    awk -F'\t' -v ip="$ip" '$1 == ip { found = 1 } END { exit !found }' "$manifest" ||
      compatible+=("$ip: package added")
  done <<<"$current"

  if [ ${#compatible[@]} -gt 0 ]; then
    echo "apicheck: compatible changes since $base:"
    printf '  %s\n' "${compatible[@]}"
  fi
  if [ ${#incompatible[@]} -eq 0 ]; then
    echo "apicheck: no incompatible change since $base"
    return 0
  fi
  echo "apicheck: incompatible changes since $base:"
  printf '  %s\n' "${incompatible[@]}"

  # The newest version heading above "## base", and the text down to it.
  local new
  new=$(awk -v base="$base" '
    /^## \[?v[0-9]+\.[0-9]+\.[0-9]+/ {
      v = $2; gsub(/^\[|\].*$/, "", v); sub(/[^0-9.v].*$/, "", v)
      if (v == base) exit
      print v; exit
    }' "$root/CHANGELOG.md")
  if [ -z "$new" ]; then
    echo "apicheck: FAIL: these changes break the API of $base; list each under a new version" >&2
    echo "  heading above '## $base' in CHANGELOG.md (e.g. '## v0.2.0'), or undo them." >&2
    exit 1
  fi
  local bM bm bp nM nm np
  read -r bM bm bp <<<"$(semver_parts "$base")"
  read -r nM nm np <<<"$(semver_parts "$new")"
  if ! { [ "$nM" -gt "$bM" ] || { [ "$bM" -eq 0 ] && [ "$nM" -eq 0 ] && [ "$nm" -gt "$bm" ]; }; }; then
    local want="v$((bM + 1)).0.0"
    [ "$bM" -eq 0 ] && want="v0.$((bm + 1)).0"
    echo "apicheck: FAIL: '## $new' is not a breaking-change release after $base (want $want or later)" >&2
    exit 1
  fi
  local text missing=() k alt
  text=$(awk -v new="$new" -v base="$base" '
    /^## \[?v[0-9]+\.[0-9]+\.[0-9]+/ {
      v = $2; gsub(/^\[|\].*$/, "", v); sub(/[^0-9.v].*$/, "", v)
      if (v == new) on = 1
      if (v == base) exit
    }
    on { print }' "$root/CHANGELOG.md")
  for k in "${keys[@]}"; do
    alt=$(echo "$k" | sed -E 's/\(\*?([A-Za-z0-9_]+)\)\./\1./')
    if ! grep -qF -- "$k" <<<"$text" && ! grep -qF -- "$alt" <<<"$text"; then
      missing+=("$k")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apicheck: FAIL: CHANGELOG.md's '## $new' section does not name:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
  fi
  echo "apicheck: the incompatible changes are listed under '## $new' in CHANGELOG.md"
}

# selftest builds a scratch repository with a root and a nested module,
# records its API and shows the guard's verdicts.
selftest() {
  local bin tmp fails=0
  bin=$(apidiff_bin)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/p" "$tmp/internal/q" "$tmp/cmd/tool" "$tmp/sub/s"
  printf 'module example.com/self\n\ngo 1.24\n' >"$tmp/go.mod"
  printf 'package p\n\n// Keep stays.\nfunc Keep() {}\n\n// Gone goes.\nfunc Gone() {}\n\n// T is a type.\ntype T struct{}\n\n// M is a method.\nfunc (*T) M() {}\n' >"$tmp/p/p.go"
  printf 'package q\n\n// Q is internal.\nfunc Q() {}\n' >"$tmp/internal/q/q.go"
  printf 'package main\n\n// Main is a main package'"'"'s.\nfunc Main() {}\n\nfunc main() {}\n' >"$tmp/cmd/tool/main.go"
  printf 'module example.com/self/sub\n\ngo 1.24\n' >"$tmp/sub/go.mod"
  printf 'package s\n\n// S is in a nested module.\nfunc S() {}\n' >"$tmp/sub/s/s.go"
  printf '# Changelog\n\n## Unreleased\n\n## v0.1.0\n\n- First.\n' >"$tmp/CHANGELOG.md"
  cp -r "$tmp" "$tmp.orig"
  trap 'rm -rf "$tmp" "$tmp.orig"' RETURN

  run() { APICHECK_ROOT="$tmp" APIDIFF="$bin" bash "$here/apicheck.sh" "$@" >"$tmp.log" 2>&1; }
  expect() { # expect pass|fail "name" "text the output must contain"
    local want=$1 name=$2 reason=$3 got=pass
    run || got=fail
    if [ "$got" = "$want" ] && grep -qF -- "$reason" "$tmp.log"; then
      echo "apicheck selftest: ok   $name ($got)"
    else
      echo "apicheck selftest: FAIL $name: want $want with \"$reason\", got $got" >&2
      sed 's/^/    /' "$tmp.log" >&2
      fails=$((fails + 1))
    fi
  }
  fresh() { rm -rf "$tmp"; cp -r "$tmp.orig" "$tmp"; cp -r "$tmp.api" "$tmp/api"; }

  run -record || { cat "$tmp.log" >&2; die "selftest: -record failed"; }
  grep -q 'recorded the API of 2 packages in api/v0.1.0' "$tmp.log" ||
    { cat "$tmp.log" >&2; die "selftest: -record should find p and the nested module's s, not internal/q or the main package"; }
  cp -r "$tmp/api" "$tmp.api"
  trap 'rm -rf "$tmp" "$tmp.orig" "$tmp.api" "$tmp.log"' RETURN

  fresh; expect pass "unchanged" "apicheck: no incompatible change since v0.1.0"
  fresh; printf '\n// Added is new.\nfunc Added() {}\n' >>"$tmp/p/p.go"; expect pass "an exported func added" "p.Added: added"
  fresh; printf 'package q\n' >"$tmp/internal/q/q.go"; expect pass "an internal func removed" "apicheck: no incompatible change since v0.1.0"
  fresh; sed -i '/^func Gone/d' "$tmp/p/p.go"; expect fail "an exported func removed" "p.Gone: removed"
  fresh; sed -i '/^func S()/d' "$tmp/sub/s/s.go"; expect fail "a nested module's func removed" "s.S: removed"
  fresh; sed -i '/^func (\*T) M/d' "$tmp/p/p.go"; expect fail "a method removed" "p.(*T).M: removed"
  fresh; rm -r "$tmp/p"; expect fail "a package removed" "example.com/self/p: package removed"
  fresh; sed -i '/^func Gone/d' "$tmp/p/p.go"
  sed -i 's/^## v0.1.0$/## v0.1.1\n\n- Removed `p.Gone`.\n\n## v0.1.0/' "$tmp/CHANGELOG.md"; expect fail "a removal listed under a patch release" "is not a breaking-change release after v0.1.0 (want v0.2.0 or later)"
  fresh; sed -i '/^func Gone/d' "$tmp/p/p.go"
  sed -i 's/^## v0.1.0$/## v0.2.0\n\n- Nothing said.\n\n## v0.1.0/' "$tmp/CHANGELOG.md"; expect fail "a removal not listed under v0.2.0" "section does not name:"
  fresh; sed -i '/^func Gone/d' "$tmp/p/p.go"
  sed -i 's/^## Unreleased$/## Unreleased\n\n- Removed `p.Gone`./' "$tmp/CHANGELOG.md"; expect fail "a removal listed under Unreleased only" "list each under a new version"
  fresh; sed -i '/^func Gone/d' "$tmp/p/p.go"
  sed -i 's/^## v0.1.0$/## v0.2.0\n\n- Removed `p.Gone`.\n\n## v0.1.0/' "$tmp/CHANGELOG.md"; expect pass "a removal listed under v0.2.0" "listed under '## v0.2.0'"
  fresh; sed -i '/^func (\*T) M/d' "$tmp/p/p.go"
  sed -i 's/^## v0.1.0$/## v0.2.0\n\n- Removed `p.T.M`.\n\n## v0.1.0/' "$tmp/CHANGELOG.md"; expect pass "a method removal listed as p.T.M" "listed under '## v0.2.0'"
  fresh; rm -r "$tmp/p"
  sed -i 's/^## v0.1.0$/## v0.2.0\n\n- Removed the package example.com\/self\/p.\n\n## v0.1.0/' "$tmp/CHANGELOG.md"; expect pass "a package removal listed by import path" "listed under '## v0.2.0'"
  fresh; rm -r "$tmp/api"; expect fail "no baseline recorded" "no baseline: api/ is missing"

  [ "$fails" -eq 0 ] || die "selftest: $fails case(s) failed"
  echo "apicheck selftest: all cases passed"
}

case "${1:-}" in
  -record) record "${2:-}" ;;
  -selftest) selftest ;;
  '') check ;;
  *) die "usage: $0 [-record [vX.Y.Z] | -selftest]" ;;
esac
