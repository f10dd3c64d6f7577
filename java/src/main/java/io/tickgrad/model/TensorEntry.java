package io.tickgrad.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor of a safetensors file, its values held as float32 in row-major order.
 *
 * <p>{@link #dtype()} is the element type the values had on disk: tensors read from F16, BF16, F64
 * or integer tensors are converted to float32 on read. {@link SafeTensors#write} always stores F32,
 * whatever {@code dtype} says.
 *
 * <p>The {@code data} array is shared, not copied (weights can be hundreds of megabytes); callers
 * must not modify it while the entry is being written.
 */
public final class TensorEntry {

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final float[] data;

    /**
     * @param name  the tensor name, unique within a file; not {@code "__metadata__"}
     * @param dtype the on-disk element type the values came from (F32 for tensors built in Java)
     * @param shape dimensions, each non-negative; {@code []} is a scalar holding one value
     * @param data  the values, exactly as many as the product of {@code shape}
     * @throws IllegalArgumentException if the shape is negative or does not match the data length
     */
    public TensorEntry(String name, DType dtype, long[] shape, float[] data) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        this.data = Objects.requireNonNull(data, "data");
        long count = elementCount(this.shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + count + " values, but data has " + data.length);
        }
    }

    /**
     * A float32 tensor.
     *
     * @param name  the tensor name
     * @param shape the dimensions (copied)
     * @param data  the values, row-major (shared, not copied)
     * @return the entry
     */
    public static TensorEntry f32(String name, long[] shape, float[] data) {
        return new TensorEntry(name, DType.F32, shape, data);
    }

    /**
     * The tensor's name.
     *
     * @return the name, unique within its file
     */
    public String name() {
        return name;
    }

    /**
     * The element type the values were stored as on disk (see class comment).
     *
     * @return the type
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * A copy of the dimensions.
     *
     * @return the dimensions, outermost first
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions (0 for a scalar).
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The values, row-major; the array itself, not a copy.
     *
     * @return the values
     */
    public float[] data() {
        return data;
    }

    /**
     * The number of values: the product of the shape (1 for a scalar).
     *
     * @return the count
     */
    public int elementCount() {
        return data.length;
    }

    private static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows a long", e);
            }
        }
        return count;
    }

    @Override
    public String toString() {
        return "TensorEntry[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
