package io.termsgate.ruleset.sandbox;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for rule code that got past the policy language: run as a worker is run (same flags, empty
 * environment), it puts up {@link SandboxSecurity} and tries what an attacker would. It prints one line per attempt.
 */
public final class SandboxProbe {

    private SandboxProbe() {}

    @SuppressWarnings({"removal", "deprecation"})
    public static void main(String[] args) {
        String marker = args[0];
        System.out.println("environment=" + System.getenv().size());
        SandboxSecurity security = new SandboxSecurity();
        System.setSecurityManager(security);
        attempt("write", () -> Files.writeString(Path.of(marker), "pwned"));
        attempt("delete", () -> Files.deleteIfExists(Path.of(args[1])));
        attempt("read", () -> Files.readString(Path.of(args[1])));
        attempt("read-through-proc", () -> Files.readString(Path.of("/proc/self/root" + args[1])));
        attempt("read-service-environment", () -> Files.readAllBytes(Path.of("/proc/1/environ")));
        attempt("exec", () -> new ProcessBuilder("touch", marker).start().waitFor());
        attempt("connect", () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            }
        });
        attempt("getenv", () -> System.getenv("PATH"));
        // Saxon's XML resolver settings are answered, and the environment is empty: nothing to read
        attempt("getenv-xml-catalog", () -> {
            if (System.getenv("XML_CATALOG_FILES") != null) {
                throw new IllegalStateException("set");
            }
        });
        // a line written beside the worker's answers would be read as one
        attempt("write-answers-stream", () -> new java.io.FileOutputStream(java.io.FileDescriptor.out).write('x'));
        attempt("exit", () -> System.exit(9));
        attempt("setSecurityManager", () -> System.setSecurityManager(null));
        attempt("classes", () -> Class.forName("io.termsgate.engine.RulesetSource"));
        System.out.println("marker=" + new File(marker).exists());
        security.allowExit();
        System.exit(0);
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static void attempt(String what, Attempt attempt) {
        try {
            attempt.run();
            System.out.println(what + "=allowed");
        } catch (SecurityException e) {
            System.out.println(what + "=denied");
        } catch (Exception e) {
            System.out.println(what + "=failed " + e.getClass().getSimpleName());
        }
    }
}
