/**
 * Export of a tickgrad network as an ONNX model (ONNX Runtime and other consumers), written without a protobuf
 * dependency; the bytes are a pure function of the architecture and the weights. Exporting reads the network's
 * parameters, so no other thread may write them meanwhile.
 */
package io.tickgrad.model.onnx;
