package io.tickgrad.model.onnx;

import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_F;
import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_I;
import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_NAME;
import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_TYPE;
import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_TYPE_FLOAT;
import static io.tickgrad.model.onnx.OnnxProto.ATTRIBUTE_TYPE_INT;

/** A scalar node attribute (FLOAT or INT), encoded as an ONNX AttributeProto. */
final class OnnxAttribute {
    private final String name;
    private final int type;
    private final float f;
    private final long i;

    private OnnxAttribute(String name, int type, float f, long i) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an ONNX attribute needs a non-empty name");
        }
        this.name = name;
        this.type = type;
        this.f = f;
        this.i = i;
    }

    static OnnxAttribute ofFloat(String name, float value) {
        return new OnnxAttribute(name, ATTRIBUTE_TYPE_FLOAT, value, 0);
    }

    static OnnxAttribute ofInt(String name, long value) {
        return new OnnxAttribute(name, ATTRIBUTE_TYPE_INT, 0f, value);
    }

    String name() {
        return name;
    }

    /** The AttributeProto; the type discriminator is required since IR version 2. */
    ProtoWriter encode() {
        ProtoWriter w = new ProtoWriter().string(ATTRIBUTE_NAME, name);
        if (type == ATTRIBUTE_TYPE_FLOAT) {
            w.float32(ATTRIBUTE_F, f);
        } else {
            w.int64(ATTRIBUTE_I, i);
        }
        return w.int64(ATTRIBUTE_TYPE, type);
    }
}
