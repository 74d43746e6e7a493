# Sourced by Cohort's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it qualifies, else the newest JDK under /usr/lib/jvm (or $COHORT_JVM_DIR).

cohort_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing if it is not a JDK.
  local home=$1
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  local release="$home/release" version
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release")
  fi
  if [ -z "${version:-}" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

cohort_find_jdk() {
  local need=21 major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(cohort_java_major "$JAVA_HOME") || major=0
    if [ "${major:-0}" -ge "$need" ] 2>/dev/null; then
      export JAVA_HOME
      return 0
    fi
  fi
  local best="" best_major=0 dir
  for dir in "${COHORT_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$dir" ] && [ ! -L "$dir" ] || continue
    major=$(cohort_java_major "$dir") || continue
    if [ "${major:-0}" -gt "$best_major" ] 2>/dev/null; then
      best=$dir
      best_major=$major
    fi
  done
  if [ "$best_major" -ge "$need" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  {
    echo "cohort: needs a JDK $need or newer."
    if [ -n "${JAVA_HOME:-}" ]; then
      echo "  JAVA_HOME=$JAVA_HOME is not one (version ${major:-unknown})."
    fi
    echo "  None found under ${COHORT_JVM_DIR:-/usr/lib/jvm} either (newest: ${best_major:-none})."
    echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+) and/or"
    echo "  point JAVA_HOME at it."
  } >&2
  return 1
}
