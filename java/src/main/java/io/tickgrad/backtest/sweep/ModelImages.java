package io.tickgrad.backtest.sweep;

import io.tickgrad.serve.ModelImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model files of this process's sweep tasks, each read, checked and hashed once ({@link ModelImage}) instead of
 * once per task: a task then only builds its network from the image. An image is immutable, so the worker threads
 * of a process share them. A file is known by its path, size and modification time, so a model written anew between
 * two sweeps of a long-lived process (a Spark executor) is read anew. Holds a few models at most.
 */
final class ModelImages {
    /** More models than a sweep uses at once; past it the cache starts again empty. */
    static final int MAX_MODELS = 8;

    private record Key(Path file, long size, long modifiedNs) {
    }

    private static final ConcurrentHashMap<Key, ModelImage> IMAGES = new ConcurrentHashMap<>();

    private ModelImages() {
    }

    /**
     * @param file a model file
     * @return its image, read now when this process has not read this version of the file yet
     * @throws IllegalArgumentException     as {@link ModelImage#read}
     * @throws java.io.UncheckedIOException naming the file when it cannot be read, or as {@link ModelImage#read}
     */
    static ModelImage of(Path file) {
        Key key = keyOf(file);
        ModelImage image = IMAGES.get(key);
        if (image == null) {
            image = ModelImage.read(file);   // outside any lock: two threads may both read it once, harmlessly
            if (IMAGES.size() >= MAX_MODELS) {
                IMAGES.clear();
            }
            IMAGES.putIfAbsent(key, image);
        }
        return image;
    }

    private static Key keyOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(file.toAbsolutePath().normalize(), a.size(), a.lastModifiedTime().to(
                java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Forgets every image (tests). */
    static void clear() {
        IMAGES.clear();
    }

    /** @return images held (tests) */
    static int size() {
        return IMAGES.size();
    }
}
