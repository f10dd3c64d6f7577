package io.tickgrad.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contents of a safetensors file: its metadata and its tensors, in header order. */
public final class SafeTensorsFile {

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, TensorEntry> tensors;

    SafeTensorsFile(Path file, Map<String, String> metadata, List<TensorEntry> tensors) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry tensor : tensors) {
            byName.put(tensor.name(), tensor);
        }
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /**
     * The file this was read from.
     *
     * @return the path as given
     */
    public Path file() {
        return file;
    }

    /**
     * The {@code __metadata__} string map (empty if the file had none), in header order.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensors in the order the header lists them.
     *
     * @return an unmodifiable list
     */
    public List<TensorEntry> tensors() {
        return List.copyOf(tensors.values());
    }

    /**
     * The tensor with this name, or null if there is none.
     *
     * @param name the tensor name
     * @return the tensor, or null
     */
    public TensorEntry tensor(String name) {
        return tensors.get(name);
    }
}
