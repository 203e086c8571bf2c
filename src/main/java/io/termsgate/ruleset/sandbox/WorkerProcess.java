package io.termsgate.ruleset.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@link SandboxWorker}: the service's own classes in a new JVM with an empty environment, a heap and
 * processor budget, talking JSON lines over its standard streams. Every read has a deadline; past it, or when the
 * worker dies, it is killed and the caller is told why in words an analyst can act on.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

    /** Why a worker gave no answer: it ran past its deadline, out of memory, or died. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final Process process;
    private final OutputStream toWorker;
    private final InputStream fromWorker;
    private final String heap;
    private final ExecutorService reader;
    private final ExecutorService writer;

    private WorkerProcess(Process process, String heap) {
        this.process = process;
        this.toWorker = process.getOutputStream();
        this.fromWorker = process.getInputStream();
        this.heap = heap;
        this.reader = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-reader-" + process.pid());
            thread.setDaemon(true);
            return thread;
        });
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-writer-" + process.pid());
            thread.setDaemon(true);
            return thread;
        });
        Thread errors = new Thread(() -> drain(process), "sandbox-stderr-" + process.pid());
        errors.setDaemon(true);
        errors.start();
    }

    static WorkerProcess start(String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Xss2m");
        command.add("-XX:ActiveProcessorCount=1");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.security.manager=allow");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Duser.timezone=" + System.getProperty("user.timezone", "UTC"));
        command.add("-Djava.io.tmpdir=/nonexistent");
        // absolute: the worker runs in another directory, and `java -jar termsgate.jar` names its jar relatively
        String classPath = java.util.Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        if (isSpringBootJar(classPath)) {
            command.add("-Dloader.main=" + SandboxWorker.class.getName());
            command.add("-cp");
            command.add(classPath);
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(SandboxWorker.class.getName());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear(); // no database password, no API keys, nothing of the service's
        builder.directory(new File(System.getProperty("java.io.tmpdir")));
        return new WorkerProcess(builder.start(), heap);
    }

    private static boolean isSpringBootJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    void send(Object message) throws Failure {
        try {
            toWorker.write(SandboxMessages.JSON.writeValueAsBytes(message));
            toWorker.write('\n');
            toWorker.flush();
        } catch (IOException e) {
            throw died();
        }
    }

    /**
     * Sends every message and reads one answer of {@code type} for each, in order, into {@code answers}: each answer
     * must come within {@code deadline} of the one before it, as with {@link #read}. The messages are written on a
     * thread of their own while the answers are read, so the worker answers the first while the rest are on their
     * way (writing them all first could stall both: a worker blocked writing answers nobody reads stops reading).
     * When it fails, {@code answers} holds the answers that came.
     */
    <T> void exchange(List<?> messages, Class<T> type, Duration deadline, String doing, List<T> answers)
            throws Failure {
        Future<?> writing = writer.submit(() -> {
            for (Object message : messages) {
                toWorker.write(SandboxMessages.JSON.writeValueAsBytes(message));
                toWorker.write('\n');
            }
            toWorker.flush();
            return null;
        });
        for (int i = 0; i < messages.size(); i++) {
            answers.add(read(type, deadline, doing));
        }
        // every message was answered, so every one was read: the writer is done or about to be
        try {
            writing.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw died();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new Failure(doing + " was interrupted");
        }
    }

    <T> T read(Class<T> type, Duration deadline, String doing) throws Failure {
        Future<byte[]> line = reader.submit(this::readLine);
        byte[] bytes;
        try {
            bytes = line.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new Failure(doing + " did not finish within " + deadline.toSeconds() + " s in the sandbox: a rule "
                    + "or FEEL expression that does not come to an end?");
        } catch (ExecutionException e) {
            close();
            throw died();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new Failure(doing + " was interrupted");
        }
        if (bytes == null) {
            throw died();
        }
        try {
            return SandboxMessages.JSON.readValue(bytes, type);
        } catch (IOException e) {
            // the JVM itself writes to standard output when it ends on OutOfMemoryError: say that, if it ended
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    throw died();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            close();
            throw new Failure("the sandbox gave an answer that is not what the service asked for");
        }
    }

    private Failure died() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String why = process.isAlive()
                ? "stopped answering"
                : process.exitValue() == 3
                        ? "ran out of its " + heap + " memory budget"
                        : "ended (exit code " + process.exitValue() + ")";
        close();
        return new Failure("the sandbox " + why + " while it ran the candidate");
    }

    /** A line of at most {@link SandboxMessages#MAX_LINE} bytes; {@code null} at the end of the stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        for (int b = fromWorker.read(); b != '\n'; b = fromWorker.read()) {
            if (b < 0) {
                return null;
            }
            if (line.size() >= SandboxMessages.MAX_LINE) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        reader.shutdownNow();
        writer.shutdownNow();
    }

    private static void drain(Process process) {
        try (var errors = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = errors.readLine(); line != null; line = errors.readLine()) {
                if (log.isDebugEnabled()) {
                    log.debug("sandbox {}: {}", process.pid(), line.length() > 500 ? line.substring(0, 500) : line);
                }
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }
}
