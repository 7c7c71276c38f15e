package org.trialwatch.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Runs a single-node KRaft Kafka broker (combined broker and controller) from Apache Kafka's own jars.
 *
 * <p>Used by the tests and by the local run, so that nothing needs Docker. Usage:
 * {@code java -jar kafka-launcher.jar <port> <data-dir>}; the controller listens on {@code port + 1}. Once the broker
 * accepts clients it prints {@code KAFKA_READY 127.0.0.1:<port>} on standard output, which callers wait for.
 */
public final class KafkaLauncher {

    private KafkaLauncher() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java -jar kafka-launcher.jar <port> <data-dir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dir);

        Properties props = brokerProperties(port, dir);
        Path propsFile = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
            props.store(out, "single-node KRaft broker written by KafkaLauncher");
        }

        formatStorage(propsFile, clusterId(dir));

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();
        System.out.println("KAFKA_READY 127.0.0.1:" + port);
        System.out.flush();
        server.awaitShutdown();
    }

    static Properties brokerProperties(int port, Path dir) {
        int controllerPort = port + 1;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", System.getProperty("kafka.num.partitions", "3"));
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** The cluster id is kept beside the data, so a restart on the same directory is the same cluster. */
    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    private static void formatStorage(Path propsFile, String clusterId) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {
            "format", "-t", clusterId, "-c", propsFile.toString(), "--ignore-formatted"
        }, new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            System.err.println(captured.toString(StandardCharsets.UTF_8));
            throw new IllegalStateException("kafka storage format failed with exit code " + rc);
        }
    }
}
