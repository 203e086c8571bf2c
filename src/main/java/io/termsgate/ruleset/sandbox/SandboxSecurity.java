package io.termsgate.ruleset.sandbox;

import java.io.File;
import java.io.FilePermission;
import java.net.NetPermission;
import java.net.SocketPermission;
import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's second wall: whatever runs in it after the files are read may not write, delete or execute a file,
 * open a socket, read the environment, read files other than the Java runtime and the service's own classes, replace
 * this manager or end the process. The first wall is the policy language, checked before anything compiles; this one
 * holds if some construct got past it.
 *
 * <p>A {@link SecurityManager} is deprecated for removal after Java 17 but works on it (the worker is started with
 * {@code -Djava.security.manager=allow}); the worker also runs with an empty environment, a heap and processor
 * budget, and the service kills it at its deadline, none of which depends on this class.
 */
@SuppressWarnings({"removal", "deprecation"})
final class SandboxSecurity extends SecurityManager {

    private final List<String> readable = new ArrayList<>();
    private volatile boolean exiting;
    private final ThreadLocal<Boolean> checking = ThreadLocal.withInitial(() -> false);

    SandboxSecurity() {
        readable.add(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize() + File.separator);
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank() && new File(entry).isDirectory()) {
                readable.add(Path.of(entry).toAbsolutePath().normalize() + File.separator);
            }
        }
        // what the JDK reads about its own process and its container, by name: never /proc/ as a whole, where
        // /proc/self/root/... is every file and /proc/<the service's pid>/environ the service's secrets
        for (String file : List.of(
                "/proc/self/mountinfo",
                "/proc/self/cgroup",
                "/proc/self/stat",
                "/proc/self/status",
                "/proc/cgroups",
                "/proc/meminfo",
                "/proc/cpuinfo",
                "/proc/stat")) {
            readable.add(file);
        }
        readable.add("/sys/fs/cgroup/");
        readable.add("/dev/random");
        readable.add("/dev/urandom");
        readable.add("/etc/localtime");
        readable.add("/usr/share/zoneinfo/");
    }

    /** The worker's own, orderly end. */
    void allowExit() {
        exiting = true;
    }

    @Override
    public void checkPermission(Permission permission) {
        check(permission);
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
        check(permission);
    }

    private void check(Permission permission) {
        if (permission instanceof SocketPermission || permission instanceof NetPermission) {
            throw new SecurityException("the sandbox has no network");
        }
        if (permission instanceof FilePermission file) {
            String actions = file.getActions();
            if (actions.contains("write") || actions.contains("delete") || actions.contains("execute")) {
                throw new SecurityException("the sandbox writes, deletes and runs no files");
            }
            if (actions.contains("read") && !readable(file.getName()) && exists(file.getName())) {
                throw new SecurityException("the sandbox reads only the Java runtime and the service's classes");
            }
            return;
        }
        if (permission instanceof RuntimePermission runtime) {
            String name = runtime.getName();
            if (name.startsWith("exitVM") && !exiting) {
                throw new SecurityException("rules do not end the process");
            }
            // FEEL's matches() and replace() run on Saxon, whose XML resolver asks for its XML_CATALOG_* and
            // XMLRESOLVER_* settings at every call: harmless to answer, since the worker's environment is empty,
            // and no secret is named so
            if (name.startsWith("getenv.XML_CATALOG_") || name.startsWith("getenv.XMLRESOLVER_")) {
                return;
            }
            if (name.startsWith("getenv.")
                    // the answers' stream is opened before this manager is up: nothing writes beside it
                    || name.equals("writeFileDescriptor")
                    || name.equals("setSecurityManager")
                    || name.equals("createSecurityManager")
                    || name.equals("setIO")) {
                throw new SecurityException("not in the sandbox: " + name);
            }
        }
    }

    /** Whether a file exists: the libraries probe for optional configuration files, which is harmless. */
    private boolean exists(String path) {
        if (checking.get()) {
            return false;
        }
        checking.set(true);
        try {
            return new File(path).exists();
        } finally {
            checking.set(false);
        }
    }

    private boolean readable(String path) {
        if (path.endsWith(".jar") || path.endsWith(".class")) {
            return true;
        }
        String absolute = Path.of(path).toAbsolutePath().normalize().toString();
        for (String prefix : readable) {
            if (absolute.startsWith(prefix) || (absolute + File.separator).equals(prefix)) {
                return true;
            }
        }
        return false;
    }
}
