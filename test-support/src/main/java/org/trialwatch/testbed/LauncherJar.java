package org.trialwatch.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the packaged broker launcher, built by the {@code kafka-launcher} module before the services' tests. */
final class LauncherJar {

    private LauncherJar() {
    }

    static Path locate() {
        String root = System.getProperty("trialwatch.root");
        if (root != null) {
            Path jar = Path.of(root, "kafka-launcher", "target", "kafka-launcher.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("kafka-launcher/target/kafka-launcher.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException(
                "kafka-launcher/target/kafka-launcher.jar not found: build it first (mvn -pl kafka-launcher package)");
    }
}
