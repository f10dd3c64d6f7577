package io.tickgrad.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies a chosen set of tensors, matched by name, from a parameter slab of one layout into a slab of another (a
 * head network's trained tensors into a full serving network, say). The byte ranges are worked out once, so
 * {@link #copy} allocates nothing.
 *
 * <p>Holds only Java arrays. {@link #copy} may run on any thread, provided no other thread writes either slab
 * meanwhile.
 */
public final class ParamCopy {
    private final int[] sourceBytes;
    private final int[] targetBytes;
    private final int[] lengthBytes;
    private final long floats;

    private ParamCopy(int[] sourceBytes, int[] targetBytes, int[] lengthBytes, long floats) {
        this.sourceBytes = sourceBytes;
        this.targetBytes = targetBytes;
        this.lengthBytes = lengthBytes;
        this.floats = floats;
    }

    /**
     * Every trainable tensor of {@code from}, into the tensor of the same name and shape in {@code to}.
     *
     * @param from the source layout
     * @param to   the target layout
     * @return the copy plan
     * @throws IllegalArgumentException when a tensor is missing from {@code to} or has another shape
     */
    public static ParamCopy trainable(ParamTable from, ParamTable to) {
        return of(from, to, true);
    }

    /**
     * Every tensor of {@code from}, into the tensor of the same name and shape in {@code to}.
     *
     * @param from the source layout
     * @param to   the target layout
     * @return the copy plan
     * @throws IllegalArgumentException when a tensor is missing from {@code to} or has another shape
     */
    public static ParamCopy all(ParamTable from, ParamTable to) {
        return of(from, to, false);
    }

    private static ParamCopy of(ParamTable from, ParamTable to, boolean trainableOnly) {
        List<int[]> ranges = new ArrayList<>();
        long floats = 0;
        for (ParamEntry e : from.entries()) {
            if (trainableOnly && !e.trainable()) {
                continue;
            }
            ParamEntry t = to.get(e.name());
            if (t == null || !Arrays.equals(t.shape(), e.shape())) {
                throw new IllegalArgumentException("cannot copy tensor '" + e.name() + "' " + Arrays.toString(e.shape())
                    + ": the target has " + (t == null ? "no tensor of that name" : "shape " + Arrays.toString(t.shape())));
            }
            ranges.add(new int[] {Math.toIntExact(e.offset() * Float.BYTES), Math.toIntExact(t.offset() * Float.BYTES),
                Math.toIntExact(e.length() * Float.BYTES)});
            floats += e.length();
        }
        int n = ranges.size();
        int[] s = new int[n];
        int[] d = new int[n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = ranges.get(i)[0];
            d[i] = ranges.get(i)[1];
            l[i] = ranges.get(i)[2];
        }
        return new ParamCopy(s, d, l, floats);
    }

    /**
     * Copies the tensors from {@code source} (laid out by the first table) into {@code target} (the second's).
     *
     * No thread may write either slab meanwhile.
     *
     * @param source a slab laid out by the source table
     * @param target a slab laid out by the target table
     */
    public void copy(Slab source, Slab target) {
        for (int i = 0; i < lengthBytes.length; i++) {
            target.buffer().putBytes(targetBytes[i], source.buffer(), sourceBytes[i], lengthBytes[i]);
        }
    }

    /**
     * Floats copied per {@link #copy}.
     *
     * @return the number of floats
     */
    public long floats() {
        return floats;
    }
}
