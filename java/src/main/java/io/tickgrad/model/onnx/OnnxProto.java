package io.tickgrad.model.onnx;

/**
 * Field numbers and enum values of the ONNX messages this package writes, as declared in onnx/onnx.proto
 * (proto2; field numbers there never change once published). Only what the exporter needs is listed.
 */
final class OnnxProto {
    private OnnxProto() {
    }

    // ModelProto
    static final int MODEL_IR_VERSION = 1;
    static final int MODEL_PRODUCER_NAME = 2;
    static final int MODEL_PRODUCER_VERSION = 3;
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;

    // OperatorSetIdProto
    static final int OPSET_DOMAIN = 1;
    static final int OPSET_VERSION = 2;

    // GraphProto
    static final int GRAPH_NODE = 1;
    static final int GRAPH_NAME = 2;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;

    // NodeProto
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;

    // AttributeProto
    static final int ATTRIBUTE_NAME = 1;
    static final int ATTRIBUTE_F = 2;
    static final int ATTRIBUTE_I = 3;
    static final int ATTRIBUTE_TYPE = 20;
    // AttributeProto.AttributeType
    static final int ATTRIBUTE_TYPE_FLOAT = 1;
    static final int ATTRIBUTE_TYPE_INT = 2;

    // TensorProto
    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    // TensorProto.DataType
    static final int DATA_TYPE_FLOAT = 1;

    // ValueInfoProto
    static final int VALUE_INFO_NAME = 1;
    static final int VALUE_INFO_TYPE = 2;
    // TypeProto
    static final int TYPE_TENSOR_TYPE = 1;
    // TypeProto.Tensor
    static final int TENSOR_TYPE_ELEM_TYPE = 1;
    static final int TENSOR_TYPE_SHAPE = 2;
    // TensorShapeProto
    static final int SHAPE_DIM = 1;
    // TensorShapeProto.Dimension
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;
}
