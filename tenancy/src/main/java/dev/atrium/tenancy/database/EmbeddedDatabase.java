package dev.atrium.tenancy.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run from the binaries that Maven Central ships (zonky), for one-machine installs
 * and tests. Data survives restarts when a persistent directory is given. Creates two roles, as a production
 * database should have: {@value #OWNER_ROLE} owns the schema and runs migrations, {@value #APP_ROLE} is what the
 * application connects as (DML only, and no UPDATE or DELETE on the audit trail).
 * <p>
 * Every role, the superuser included, has a password generated on the first start and kept next to the data
 * directory in {@value #CREDENTIALS_FILE} (0600); from then on the server accepts only password (SCRAM) logins.
 * (The binaries' {@code initdb} trusts local logins; that lasts only until the first start has set the passwords.)
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "atrium";
    public static final String OWNER_ROLE = "atrium_owner";
    public static final String APP_ROLE = "atrium_app";
    public static final String CREDENTIALS_FILE = "pg-credentials";
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Properties passwords;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Properties passwords) {
        this.postgres = postgres;
        this.passwords = passwords;
    }

    /**
     * Starts PostgreSQL on a free loopback port.
     *
     * @param dataDirectory where the cluster lives (kept between runs)
     * @param binaryCache   where the binaries are unpacked (outside build output, so a clean build keeps them)
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path binaryCache) throws IOException {
        Files.createDirectories(dataDirectory.getParent());
        Files.createDirectories(binaryCache);
        Path credentials = dataDirectory.resolveSibling(CREDENTIALS_FILE);
        Properties passwords = Files.exists(credentials) ? read(credentials) : generatePasswords(credentials);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaryCache.toFile())
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // the start-up check logs in as the superuser
                .setConnectConfig("password", passwords.getProperty(SUPERUSER))
                .start();
        try {
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, passwords);
            database.ensureRolesAndDatabase();
            database.requirePasswords(dataDirectory);
            return database;
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** The generated password of a role ({@value #OWNER_ROLE}, {@value #APP_ROLE} or the superuser). */
    public String password(String role) {
        return passwords.getProperty(role);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Quarkus settings that point the application (app role) and Flyway (owner role) at this server. */
    public Map<String, String> quarkusProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.datasource.jdbc.url", jdbcUrl());
        properties.put("quarkus.datasource.username", APP_ROLE);
        properties.put("quarkus.datasource.password", password(APP_ROLE));
        properties.put("quarkus.flyway.username", OWNER_ROLE);
        properties.put("quarkus.flyway.password", password(OWNER_ROLE));
        properties.put("atrium.db.app-role", APP_ROLE);
        return properties;
    }

    private void ensureRolesAndDatabase() {
        try (Connection connection = superuserConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password(SUPERUSER) + "'");
            for (String role : new String[] {OWNER_ROLE, APP_ROLE}) {
                if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                    statement.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS");
                }
                statement.execute("ALTER ROLE " + role + " PASSWORD '" + password(role) + "'");
            }
            if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER_ROLE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the embedded database", e);
        }
    }

    private Connection superuserConnection() throws SQLException {
        return postgres.getDatabase(SUPERUSER, SUPERUSER, Map.of("password", password(SUPERUSER))).getConnection();
    }

    /** Replaces initdb's trust rules (once; a no-op afterwards): from now on every login needs its password. */
    private void requirePasswords(Path dataDirectory) {
        String rules = """
                # written by Atrium's embedded PostgreSQL: every login needs its password (see pg-credentials)
                local all all scram-sha-256
                host  all all 127.0.0.1/32 scram-sha-256
                host  all all ::1/128 scram-sha-256
                """;
        try {
            Path hba = dataDirectory.resolve("pg_hba.conf");
            if (Files.exists(hba) && Files.readString(hba, StandardCharsets.US_ASCII).equals(rules)) {
                return;
            }
            Files.writeString(hba, rules, StandardCharsets.US_ASCII);
            try (Connection connection = superuserConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not switch the embedded database to password logins", e);
        }
    }

    private static Properties generatePasswords(Path credentials) throws IOException {
        SecureRandom random = new SecureRandom();
        Properties passwords = new Properties();
        for (String role : new String[] {SUPERUSER, OWNER_ROLE, APP_ROLE}) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            passwords.setProperty(role, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        Files.createDirectories(credentials.toAbsolutePath().getParent());
        Path temp = credentials.resolveSibling(credentials.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
            passwords.store(out, "Atrium embedded PostgreSQL passwords (keep with the data directory)");
        }
        Files.move(temp, credentials, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return passwords;
    }

    private static Properties read(Path credentials) throws IOException {
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(credentials, StandardCharsets.US_ASCII)) {
            passwords.load(in);
        }
        for (String role : new String[] {SUPERUSER, OWNER_ROLE, APP_ROLE}) {
            if (passwords.getProperty(role) == null) {
                throw new IllegalStateException(credentials + " holds no password for " + role);
            }
        }
        return passwords;
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            return result.next();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
