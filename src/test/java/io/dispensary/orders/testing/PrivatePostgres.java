package io.dispensary.orders.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own: initdb in a temporary folder, its own port, run as the postgres user when
 * the tests run as root (PostgreSQL refuses root). A test that stops, freezes or locks the database does it here,
 * never to the server the other tests share.
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final String USER = "orders";
    public static final String PASSWORD = "orders";
    public static final String DATABASE = "orders";

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final int port;
    private final boolean asRoot;

    private PrivatePostgres(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /** Makes and starts a new server with the dev role and database; stop it with {@link #close()}. */
    public static PrivatePostgres start() {
        try {
            Path folder = Files.createTempDirectory("private-postgres-");
            PrivatePostgres server = new PrivatePostgres(serverBin(), folder, freePort());
            server.initdb();
            server.startServer();
            try (Connection connection = server.superuser();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("the private PostgreSQL did not take the dev role", e);
        }
    }

    /** The URL the service uses, as a primary-only multi-host URL would say it. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?targetServerType=primary";
    }

    public int port() {
        return port;
    }

    /** A superuser connection, outside any pool (trust on loopback: this server is the test's alone). */
    public Connection superuser() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** A connection as the service's role to its database, outside the service's pool. */
    public Connection asService() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, USER, PASSWORD);
    }

    /** Runs statements as the superuser on the service's database. */
    public void execute(String... sql) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + String.join("; ", sql), e);
        }
    }

    /** Stops the server (fast shutdown: sessions are ended, as in a restart). */
    public void stopServer() {
        pgCtl("stop", "-m", "fast", "-w", "-t", "30");
    }

    public void startServer() {
        pgCtl(
                "start",
                "-w",
                "-t",
                "30",
                "-l",
                folder.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + folder
                        + " -c max_connections=40 -c fsync=off");
    }

    /** SIGSTOP of the postmaster and every backend: a server that accepts packets and answers nothing. */
    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            String postmaster =
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
            List<String> pids = new ArrayList<>(List.of(postmaster));
            Process children = new ProcessBuilder("ps", "-o", "pid=", "--ppid", postmaster).start();
            for (String line : new String(children.getInputStream().readAllBytes()).split("\\s+")) {
                if (!line.isBlank()) {
                    pids.add(line.trim());
                }
            }
            children.waitFor();
            // A backend may exit between ps and kill: that one needs no signal. The postmaster must take it.
            run(List.of("kill", "-" + signal, postmaster), Duration.ofSeconds(10));
            for (String pid : pids.subList(1, pids.size())) {
                new ProcessBuilder("kill", "-" + signal, pid)
                        .redirectErrorStream(true)
                        .start()
                        .waitFor();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            thaw();
        } catch (RuntimeException notRunning) {
            // nothing to wake
        }
        try {
            pgCtl("stop", "-m", "immediate", "-w", "-t", "30");
        } catch (RuntimeException notRunning) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }

    private void initdb() throws IOException {
        if (asRoot) {
            run(List.of("chown", "postgres:postgres", folder.toString()), Duration.ofSeconds(10));
        }
        run(
                asPostgres(List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "--no-sync",
                        "-E",
                        "UTF8",
                        "--locale=C")),
                Duration.ofSeconds(60));
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
        command.addAll(List.of(arguments));
        run(asPostgres(command), Duration.ofSeconds(60));
    }

    private List<String> asPostgres(List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command + " failed with " + process.exitValue() + ":\n" + new String(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest installed server (/usr/lib/postgresql/N/bin), whatever its version. */
    private static Path serverBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(path -> Files.isExecutable(path.resolve("initdb")))
                        .max(Comparator.comparingInt(path -> Integer.parseInt(
                                path.getParent().getFileName().toString().replaceAll("[^0-9].*", "0"))))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + root));
            }
        }
        throw new IllegalStateException("no PostgreSQL server under " + root + ": bin/test installs one");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
