#!/usr/bin/env bash
# Rebuilds models/updown/updown.safetensors from the pretrained chart-pattern trunk and the bundled trades.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/java/target/tickgrad-0.1.0-SNAPSHOT-cli.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp -DskipTests package -pl java -am)
exec java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED -cp "$jar" "$root/models/updown/BuildUpDown.java" "$root"
