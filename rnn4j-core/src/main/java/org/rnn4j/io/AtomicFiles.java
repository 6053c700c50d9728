package org.rnn4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file writes: the content goes to a temporary file beside the target, which is then
 * renamed over it, so a crash or an exception mid-write leaves the previous file (or none), never
 * a partial one, and no temporary file behind. A process killed outright (kill -9, power loss)
 * cannot delete its temporary file, so temporary names carry the writer's process id and every
 * write first removes the ones of its target left by processes that are gone: crashes never pile
 * temporary files up. The result has the permissions a plain new file
 * gets (0666 less the umask, so usually 0644), not the 0600 of {@link Files#createTempFile}.
 */
public final class AtomicFiles {
    /** Fills the file at the given (temporary) path. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through {@code filler}. The target's folder must exist: when it does
     * not, a {@link NoSuchFileException} says "folder ... does not exist".
     */
    public static void write(Path target, Filler filler) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        requireFolder(target, dir);
        // The temporary name ends with the target's name, so writers that look at the extension still work.
        removeOrphans(dir, abs.getFileName().toString());
        Path tmp = createTemp(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            Set<PosixFilePermission> perms = permissions(tmp);
            filler.fill(tmp);
            if (perms != null && Files.exists(tmp)) {
                // A filler that wrote its own temporary file and moved it here brought its 0600 along.
                Files.setPosixFilePermissions(tmp, perms);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically (see {@link #write(Path, Filler)}). */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    /**
     * A new empty scratch file {@code name} in the system's temporary folder, for libraries that
     * can only write to a path (jHDF): the caller deletes it when done. It is named like a write's
     * temporary file, so the scratch files of processes killed mid-write are removed by the next
     * call instead of piling up.
     */
    public static Path scratchFile(String name) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        removeOrphans(dir, name);
        return createTemp(dir, name);
    }

    /** Throws "folder X does not exist" (or "is not a folder") for a target whose folder is missing. */
    public static void requireFolder(Path target, Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(null, null, "folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(null, null, dir + " is not a folder");
        }
    }

    private static final String PREFIX = ".tmp-";

    /** {@code .tmp-<pid>-<random>-<name>}: the pid tells whether its writer can still finish it. */
    private static Path createTemp(Path dir, String name) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            long r = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            Path tmp = dir.resolve(PREFIX + pid + "-" + Long.toString(r, 36) + "-" + name);
            try {
                // No permission attribute: the file gets the process's normal mode (umask applies).
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Deletes this target's temporary files whose writing process no longer runs. */
    static void removeOrphans(Path dir, String name) {
        String suffix = "-" + name;
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*" + suffix)) {
            for (Path p : entries) {
                String f = p.getFileName().toString();
                int dash = f.indexOf('-', PREFIX.length());
                if (dash < 0 || f.length() < PREFIX.length() + suffix.length()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(f.substring(PREFIX.length(), dash));
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException | SecurityException e) {
            // best effort: a folder we cannot list or a file we cannot delete does not stop the write
        }
    }

    private static Set<PosixFilePermission> permissions(Path p) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) == null) {
            return null;
        }
        return Files.getPosixFilePermissions(p);
    }
}
