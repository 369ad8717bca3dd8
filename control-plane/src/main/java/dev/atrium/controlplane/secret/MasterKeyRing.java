package dev.atrium.controlplane.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap the per-scope data keys: the current one (wraps new data keys) and retired ones
 * (still unwrap data keys until they are re-wrapped). The ring comes either from the environment
 * ({@code ATRIUM_SECRETS_MASTER_KEY}, plus {@code ATRIUM_SECRETS_RETIRED_MASTER_KEYS} while rotating) or from a key
 * file with 0600 permissions, created on first start, one {@code id:base64} per line, current key first.
 * A key's id is the first 16 hex characters of its SHA-256, so ids never reveal the key and never collide by accident.
 */
public final class MasterKeyRing {

    private final Map<String, SecretKey> keys;
    private final String currentId;
    private final Path file;

    private MasterKeyRing(Map<String, SecretKey> keys, String currentId, Path file) {
        this.keys = keys;
        this.currentId = currentId;
        this.file = file;
    }

    public static MasterKeyRing fromEnvironment(String current, List<String> retired) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        SecretKey key = decode(current);
        keys.put(idOf(key), key);
        for (String old : retired) {
            SecretKey retiredKey = decode(old);
            keys.putIfAbsent(idOf(retiredKey), retiredKey);
        }
        return new MasterKeyRing(keys, idOf(key), null);
    }

    /** Loads the key file, creating it with a fresh random key when it does not exist. */
    public static MasterKeyRing fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                SecretKey key = generate();
                write(file, Map.of(idOf(key), key));
            }
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.isBlank()) {
                    continue;
                }
                SecretKey key = decode(line.substring(line.indexOf(':') + 1).trim());
                keys.put(idOf(key), key);
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("master key file " + file + " holds no key");
            }
            return new MasterKeyRing(keys, keys.keySet().iterator().next(), file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + file, e);
        }
    }

    public String currentId() {
        return currentId;
    }

    public SecretKey current() {
        return keys.get(currentId);
    }

    public Optional<SecretKey> byId(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Whether the ring still holds keys besides the current one (a rotation not yet completed). */
    public boolean hasRetiredKeys() {
        return keys.size() > 1;
    }

    public boolean rotatable() {
        return file != null;
    }

    /**
     * Rotation, step 1: a new current key is added in front of the file (old keys stay, so a crash leaves every
     * data key unwrappable). Returns the ring to re-wrap with.
     */
    public MasterKeyRing withNewCurrentKey() {
        if (file == null) {
            throw new IllegalStateException("master key comes from the environment: rotate by setting ATRIUM_SECRETS_MASTER_KEY "
                    + "to a new key and listing the old one in ATRIUM_SECRETS_RETIRED_MASTER_KEYS, then restart");
        }
        SecretKey key = generate();
        Map<String, SecretKey> rotated = new LinkedHashMap<>();
        rotated.put(idOf(key), key);
        rotated.putAll(keys);
        write(file, rotated);
        return new MasterKeyRing(rotated, idOf(key), file);
    }

    /**
     * Rotation, step 2, only once the re-wrap has committed and every data key is verified to open with the current
     * key: forget the retired keys.
     */
    public MasterKeyRing withoutRetiredKeys() {
        Map<String, SecretKey> only = Map.of(currentId, current());
        if (file != null) {
            write(file, only);
        }
        return new MasterKeyRing(new LinkedHashMap<>(only), currentId, file);
    }

    static SecretKey generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    static String idOf(SecretKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKey decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("a master key must be 32 bytes (AES-256), base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static void write(Path file, Map<String, SecretKey> keys) {
        StringBuilder content = new StringBuilder();
        keys.forEach((id, key) -> content.append(id).append(':')
                .append(Base64.getEncoder().encodeToString(key.getEncoded())).append('\n'));
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the master key file " + file, e);
        }
    }
}
