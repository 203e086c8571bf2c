package io.termsgate.audit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signs where the decision log's chain has got to and appends it to a file outside the database, away from the
 * checkout path: a scheduled task reads the head and writes a checkpoint once the head has moved {@code every}
 * records, or at least every {@code interval} while it moves. Each instance signs what it saw.
 */
@Component
class CheckpointWriter {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final DecisionLog decisionLog;
    private final JdbcClient jdbc;
    private final AuditSigningKey key;
    private final CheckpointProperties.Checkpoints settings;
    private final String instanceId;
    private final Clock clock = Clock.systemUTC();
    private long lastSeq;
    private Instant lastAt;

    CheckpointWriter(DecisionLog decisionLog, JdbcClient jdbc, AuditSigningKey key, CheckpointProperties properties) {
        this.decisionLog = decisionLog;
        this.jdbc = jdbc;
        this.key = key;
        this.settings = properties.checkpoints();
        this.instanceId = settings.instanceId() != null ? settings.instanceId() : hostName();
        this.lastSeq = jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoint WHERE instance_id = ?")
                .param(instanceId)
                .query(Long.class)
                .single();
        this.lastAt = clock.instant();
    }

    String instanceId() {
        return instanceId;
    }

    Path dir() {
        return settings.dir();
    }

    @Scheduled(fixedDelayString = "${termsgate.audit.checkpoints.poll-interval:1s}")
    void poll() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("could not write a checkpoint of the decision log; will try again", e);
        }
    }

    /** Writes a checkpoint when one is due; returns it. */
    synchronized Optional<VerifyLog.Checkpoint> tick() {
        LoggedDecision.Head head = decisionLog.head();
        Instant now = clock.instant();
        boolean moved = head.seq() > lastSeq;
        boolean due = head.seq() - lastSeq >= settings.every() || !now.isBefore(lastAt.plus(settings.interval()));
        return moved && due ? Optional.of(write(head, now)) : Optional.empty();
    }

    /** Writes a checkpoint of the head now, due or not (when the head moved since the last). */
    synchronized Optional<VerifyLog.Checkpoint> checkpointNow() {
        LoggedDecision.Head head = decisionLog.head();
        return head.seq() > lastSeq ? Optional.of(write(head, clock.instant())) : Optional.empty();
    }

    private VerifyLog.Checkpoint write(LoggedDecision.Head head, Instant now) {
        String at = now.truncatedTo(ChronoUnit.MILLIS).toString();
        String text = VerifyLog.Checkpoint.canonical(head.seq(), head.hash(), at, instanceId, key.keyId());
        VerifyLog.Checkpoint checkpoint =
                new VerifyLog.Checkpoint(head.seq(), head.hash(), at, instanceId, key.keyId(), key.sign(text));
        String file = VerifyLog.FILE_PREFIX + now.atZone(ZoneOffset.UTC).toLocalDate() + VerifyLog.FILE_SUFFIX;
        append(settings.dir().resolve(file), checkpoint.line() + "\n");
        try {
            jdbc.sql("INSERT INTO audit_checkpoint (instance_id, seq, hash, signed_at, key_id, signature, file) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            instanceId,
                            head.seq(),
                            head.hash(),
                            now.atOffset(ZoneOffset.UTC),
                            key.keyId(),
                            checkpoint.signature(),
                            file)
                    .update();
        } catch (DuplicateKeyException e) {
            log.debug("checkpoint {} of {} is in the database already", head.seq(), instanceId);
        }
        lastSeq = head.seq();
        lastAt = now;
        return checkpoint;
    }

    /** Appends and forces the line to disk before the checkpoint counts as written. */
    private static void append(Path file, String line) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append a checkpoint to " + file, e);
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return VerifyLog.INSTANCE_ID.matcher(name).matches() ? name : "instance";
        } catch (IOException e) {
            return "instance";
        }
    }
}
